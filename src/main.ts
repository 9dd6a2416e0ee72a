import { ConfigError, loadConfig, type Config } from './config.js';
import pretty from 'pino-pretty';
import { createLogger } from './telemetry/logger.js';
import { startApp } from './http/server.js';
import { demoAppOptions, startDemoProviders, type DemoProviders } from './demo.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
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

  let demo: DemoProviders | undefined;
  if (config.providers.size === 0) {
    demo = await startDemoProviders(config.registry);
    config = loadConfig({ ...process.env, ...demo.env }, config.registry, true);
  }
  const app = await startApp(config, logger, demo ? demoAppOptions(demo) : {});
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
        providers: config.registry
          .filter(({ datasource }) => config.providers.has(datasource.key))
          .map(({ datasource }) => datasource.name),
      },
      `Executions subgraph listening on ${graphql}`,
    );
  }
  const { enabled, reason } = config.mutations;
  logger.info(
    { mutations: enabled },
    `Mutations (stopExecution, stopExecutions) are ${enabled ? 'on' : 'off'}: ${reason}.`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    app
      .close(config.shutdownGraceMs)
      .then(() => demo?.close())
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
