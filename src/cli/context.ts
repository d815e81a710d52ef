import { createApp, type App } from '../app.js'
import { loadConfig, type Config, type ConfigOverrides } from '../core/index.js'

/** Opens the app for a CLI command (applying pending migrations), runs `work`, and always closes it. */
export async function withApp<T>(
  overrides: ConfigOverrides,
  work: (app: App, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env, overrides)
  const app = await createApp(config)
  try {
    return await work(app, config)
  } finally {
    await app.close()
  }
}

export function configFrom(overrides: ConfigOverrides = {}): Config {
  return loadConfig(process.env, overrides)
}
