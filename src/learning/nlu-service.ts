import { perceive, type Perception } from '../agent/index.js'
import { loadTextClassifier, type CatalogueProduct, type TextClassifier } from '../nlp/index.js'
import type { Clock } from '../core/index.js'
import type { ModelStore, NluTask } from './builtin-models.js'

interface Loaded {
  readonly version: number
  readonly classifier: TextClassifier
}

/**
 * Serves perception with the active models of the registry. Models are loaded once per version and re-checked
 * at most every `refreshMs`, so a promotion in another process reaches this one within that time.
 */
export function createNluService(options: {
  registry: ModelStore
  clock: Clock
  settings: () => Promise<{ timeZone: string; defaultRegion: string }>
  products?: () => Promise<readonly CatalogueProduct[]>
  refreshMs?: number
  /** Perceptions remembered (default 256): see `perceive`. */
  cacheSize?: number
}) {
  const refreshMs = options.refreshMs ?? 10_000
  const cacheSize = options.cacheSize ?? 256
  const recent = new Map<string, Perception>()
  const loaded = new Map<NluTask, Loaded | null>()
  let checkedAt = 0

  async function refresh(force = false): Promise<void> {
    const now = Date.now()
    if (!force && now - checkedAt < refreshMs && loaded.size > 0) return
    checkedAt = now
    for (const task of ['intent', 'sentiment'] as const) {
      const active = await options.registry.active(task)
      const current = loaded.get(task)
      if (!active) loaded.set(task, null)
      else if (!current || current.version !== active.version) {
        loaded.set(task, {
          version: active.version,
          classifier: loadTextClassifier(JSON.parse(active.artefact)),
        })
      }
    }
  }

  async function models() {
    await refresh()
    return {
      intent: loaded.get('intent')?.classifier ?? null,
      sentiment: loaded.get('sentiment')?.classifier ?? null,
    }
  }

  return {
    refresh,
    models,
    versions: () => ({
      intent: loaded.get('intent')?.version ?? null,
      sentiment: loaded.get('sentiment')?.version ?? null,
    }),
    async perceive(text: string, context: { customerName?: string } = {}): Promise<Perception> {
      const [settings, products, current] = await Promise.all([
        options.settings(),
        options.products ? options.products() : Promise.resolve([]),
        models(),
      ])
      // One message is perceived by each workflow that reads it and again by the agent's reasoning: the same
      // text under the same models, settings and minute (dates are resolved to the day) gives the same
      // perception, so it is computed once. Callers treat perceptions as read-only.
      const now = options.clock.now()
      const versions = `${loaded.get('intent')?.version ?? '-'}/${loaded.get('sentiment')?.version ?? '-'}`
      const key = JSON.stringify([
        Math.floor(now.getTime() / 60_000),
        versions,
        settings.timeZone,
        settings.defaultRegion,
        products.length,
        context.customerName ?? null,
        text,
      ])
      const cached = recent.get(key)
      if (cached) return cached
      const perception = perceive(text, {
        now,
        timeZone: settings.timeZone,
        defaultRegion: settings.defaultRegion,
        customerName: context.customerName,
        products,
        models: current,
      })
      recent.set(key, perception)
      if (recent.size > cacheSize) recent.delete(recent.keys().next().value as string)
      return perception
    },
  }
}

export type NluService = ReturnType<typeof createNluService>
