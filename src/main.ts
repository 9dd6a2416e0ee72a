import type { Config } from './config.js';
import type { DemoProviders } from './demo.js';
import type { Tracing } from './telemetry/tracing.js';

/**
 * On exit, the spans still waiting get what the grace period left, within these bounds: a
 * collector that has not taken them in 2 s is down or stuck (its exporter would retry for 10 s).
 */
const TRACE_FLUSH_MS = { min: 200, max: 2_000 };

async function main(): Promise<void> {
  // Tracing first, so that its hooks are set before anything is served. Unset, no OpenTelemetry
  // module is loaded at all.
  let tracing: Tracing | undefined;
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) {
    tracing = (await import('./telemetry/tracing.js')).startTracing();
  }
  const [
    { ConfigError, loadConfig },
    { default: pretty },
    { createLogger },
    { startApp },
    registry,
  ] = await Promise.all([
    import('./config.js'),
    import('pino-pretty'),
    import('./telemetry/logger.js'),
    import('./http/server.js'),
    import('./providers.js'),
  ]);
  const { providers } = registry;
  const settings = providers.map(({ datasource }) => datasource);
  let config: Config;
  try {
    config = loadConfig(process.env, settings);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) {
        process.stderr.write(`Configuration error: ${line}\n`);
      }
      process.exit(1);
    }
    throw error;
  }
  // Human-readable lines on a terminal, JSON lines otherwise.
  const logger = createLogger(
    config.logLevel,
    process.stdout.isTTY
      ? pretty({ translateTime: 'HH:MM:ss', ignore: 'pid,hostname' })
      : undefined,
  );

  const start = async () => {
    if (config.providers.size > 0) {
      return { demo: undefined, app: await startApp(config, logger, { registry: providers }) };
    }
    // No provider configured: the demo, and only then its simulators are loaded.
    const { demoAppOptions, startDemoProviders } = await import('./demo.js');
    const demo: DemoProviders = await startDemoProviders(providers);
    config = loadConfig({ ...process.env, ...demo.env }, settings, true);
    return { demo, app: await startApp(config, logger, demoAppOptions(demo)) };
  };
  const { demo, app } = await start();
  const graphql = `${app.url}/graphql`;

  if (demo) {
    logger.info(
      { graphql, sampleIds: demo.sampleIds, headers: demo.headers },
      `Demo mode: no <P>_URL is set, so ${demo.registry.length} simulated providers run on loopback. Open ${graphql} in a browser for GraphiQL, or POST queries to it (with the headers shown).`,
    );
  } else {
    logger.info(
      {
        graphql,
        providers: providers
          .filter(({ datasource }) => config.providers.has(datasource.key))
          .map(({ datasource }) => datasource.name),
      },
      `Executions subgraph listening on ${graphql}`,
    );
  }
  const { enabled, reason } = config.mutations;
  logger.info(
    { mutations: enabled },
    `Mutations (stopExecution, stopExecutions, rerunExecution) are ${enabled ? 'on' : 'off'}: ${reason}.`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    const deadline = Date.now() + config.shutdownGraceMs;
    app
      .close(config.shutdownGraceMs)
      .then(() => demo?.close())
      // What the grace left, and never a hang: a collector that is down costs this at most.
      .then(() => {
        const left = Math.min(TRACE_FLUSH_MS.max, deadline - Date.now());
        return tracing?.shutdown(Math.max(TRACE_FLUSH_MS.min, left));
      })
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'Shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
