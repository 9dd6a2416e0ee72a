// Counters and histograms for the request path, exposed through a prom-client `Registry`, which
// formats them exactly as it formats its own (test/metric-series.test.ts compares the two).
// prom-client's `inc` and `observe` validate and hash the label object on every call, about a
// microsecond each under load and several times per request (bench/RESULTS.md). Here a label
// set is resolved once to a series that callers keep, and recording is adding to numbers.
import type { Registry } from 'prom-client';

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  /** Default none: one series without labels. */
  labelNames?: readonly L[];
  registers: Registry[];
}

type LabelValues<L extends string> = Readonly<Record<L, string>>;

/** What prom-client's `Registry` reads from a metric: its own `get()` result shape. */
interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
}

abstract class SeriesMetric<L extends string, S extends { labels: LabelValues<L> }> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  private readonly labelNames: readonly L[];
  private readonly all = new Map<string, S>();

  constructor(options: MetricOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  /** The series of one label set, made on first use: keep it rather than look it up per call. */
  series(labels: LabelValues<L>): S {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let series = this.all.get(key);
    if (!series) {
      const own = Object.fromEntries(this.labelNames.map((name) => [name, labels[name]]));
      series = this.create(own as LabelValues<L>);
      this.all.set(key, series);
    }
    return series;
  }

  /** prom-client's `Registry` reads this when it writes /metrics. */
  getForPromString(): Promise<{
    name: string;
    help: string;
    type: string;
    values: MetricValue[];
    aggregator: string;
  }> {
    // As prom-client does: a metric without labels shows its zero series before any use.
    if (this.labelNames.length === 0) this.series({} as LabelValues<L>);
    const values = [...this.all.values()].flatMap((series) => this.values(series));
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    });
  }

  /** The same values with each series' labels merged in, as prom-client's `get()` returns them. */
  async get(): Promise<{ name: string; help: string; type: string; values: MetricValue[] }> {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map(({ labels, sharedLabels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  reset(): void {
    this.all.clear();
  }

  abstract readonly type: string;
  protected abstract create(labels: LabelValues<L>): S;
  protected abstract values(series: S): MetricValue[];
}

export class CounterSeries<L extends string> {
  value = 0;

  constructor(readonly labels: LabelValues<L>) {}

  /** Default 1. */
  inc(amount = 1): void {
    this.value += amount;
  }
}

/** A Prometheus counter whose label sets are resolved once (`series`). */
export class SeriesCounter<L extends string = never> extends SeriesMetric<L, CounterSeries<L>> {
  readonly type = 'counter';

  protected create(labels: LabelValues<L>): CounterSeries<L> {
    return new CounterSeries(labels);
  }

  protected values(series: CounterSeries<L>): MetricValue[] {
    return [{ value: series.value, labels: series.labels }];
  }
}

export class HistogramSeries<L extends string> {
  /** Observations per bucket, not cumulative; the last one counts those above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: LabelValues<L>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** A value that is not a finite number is left out (prom-client throws a TypeError). */
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const { bounds } = this;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]!++;
    this.sum += value;
    this.count++;
  }
}

/** A Prometheus histogram whose label sets are resolved once (`series`). */
export class SeriesHistogram<L extends string = never> extends SeriesMetric<L, HistogramSeries<L>> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  constructor(options: MetricOptions<L> & { buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected create(labels: LabelValues<L>): HistogramSeries<L> {
    return new HistogramSeries(labels, this.bounds);
  }

  protected values(series: HistogramSeries<L>): MetricValue[] {
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    const values: MetricValue[] = this.bounds.map((bound, index) => {
      cumulative += series.counts[index]!;
      return {
        labels: { le: bound },
        sharedLabels: series.labels,
        value: cumulative,
        metricName: bucket,
      };
    });
    values.push(
      {
        labels: { le: '+Inf' },
        sharedLabels: series.labels,
        value: series.count,
        metricName: bucket,
      },
      {
        labels: {},
        sharedLabels: series.labels,
        value: series.sum,
        metricName: `${this.name}_sum`,
      },
      {
        labels: {},
        sharedLabels: series.labels,
        value: series.count,
        metricName: `${this.name}_count`,
      },
    );
    return values;
  }
}
