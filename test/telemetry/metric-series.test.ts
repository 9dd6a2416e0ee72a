import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../../src/telemetry/metric-series.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const provider = fc.constantFrom('CLOUDSHELL', 'REFOLD', 'PAYMENT_WORKFLOW', 'we"ird\\name\n');
const statusClass = fc.constantFrom('2xx', '5xx', 'error');
// Bucket bounds themselves, values between them, zero, and values above every bound.
const value = fc.oneof(
  fc.constantFrom(0, ...BUCKETS, 31, 1e6),
  fc.double({ min: 0, max: 40, noNaN: true }),
);

describe('SeriesHistogram', () => {
  it('writes the same /metrics text as a prom-client Histogram given the same observations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(provider, statusClass, value), { maxLength: 60 }),
        async (observations) => {
          const theirs = new Registry();
          const ours = new Registry();
          const options = {
            name: 'upstream_request_duration_seconds',
            help: 'Time of one upstream HTTP attempt.',
            labelNames: ['provider', 'status_class'] as const,
            buckets: BUCKETS,
          };
          const histogram = new Histogram({ ...options, registers: [theirs] });
          const series = new SeriesHistogram({ ...options, registers: [ours] });
          for (const [name, status, seconds] of observations) {
            const labels = { provider: name, status_class: status };
            histogram.observe(labels, seconds);
            series.series(labels).observe(seconds);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
    );
  });

  it('shows a zero series without labels before the first observation, as prom-client does', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const options = { name: 'per_request', help: 'Per request.', buckets: [0, 1, 5] };
    new Histogram({ ...options, registers: [theirs] });
    const series = new SeriesHistogram({ ...options, registers: [ours] });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    series.series({}).observe(3);
    expect(await ours.metrics()).toContain('per_request_bucket{le="5"} 1');
  });
});

describe('HistogramSeries', () => {
  it('leaves out values that are not finite numbers instead of throwing', () => {
    const histogram = new SeriesHistogram({
      name: 'seconds',
      help: 'Seconds.',
      buckets: [1],
      registers: [new Registry()],
    });
    const series = histogram.series({});
    for (const value of [Number.NaN, Infinity, -Infinity, 0.5]) series.observe(value);
    expect(series.count).toBe(1);
    expect(series.sum).toBe(0.5);
  });
});

describe('SeriesCounter', () => {
  it('writes the same /metrics text as a prom-client Counter given the same increments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(provider, fc.nat(5)), { maxLength: 40 }),
        async (increments) => {
          const theirs = new Registry();
          const ours = new Registry();
          const options = {
            name: 'requests_total',
            help: 'Requests.',
            labelNames: ['operation'] as const,
          };
          const counter = new Counter({ ...options, registers: [theirs] });
          const series = new SeriesCounter({ ...options, registers: [ours] });
          for (const [operation, amount] of increments) {
            counter.inc({ operation }, amount);
            series.series({ operation }).inc(amount);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
    );
  });

  it('refuses a second metric of the same name in one registry, as prom-client does', () => {
    const registry = new Registry();
    new Counter({ name: 'twice_total', help: 'Twice.', registers: [registry] });
    expect(
      () => new SeriesCounter({ name: 'twice_total', help: 'Twice.', registers: [registry] }),
    ).toThrow(/already been registered/);
  });
});
