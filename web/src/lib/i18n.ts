import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'

export const LANGUAGES = ['en', 'zh-CN'] as const
export type Language = (typeof LANGUAGES)[number]
const STORAGE_KEY = 'agentcrm.language'

/**
 * Every `locales/<language>/<namespace>.json`: each page owns its namespace file (`inbox.json`, …) and
 * `common.json` holds the shared words.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true })
const resources: Record<string, Record<string, Record<string, unknown>>> = {}
for (const [path, module] of Object.entries(files)) {
  const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path)
  if (!match) continue
  const [, language, namespace] = match
  resources[language] ??= {}
  resources[language][namespace] = module.default
}

/** The stored choice, else the browser's language (any `zh*` → zh-CN), else English. */
export function initialLanguage(): Language {
  const stored = readStored()
  if (stored) return stored
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language]
  for (const tag of preferred) {
    if (!tag) continue
    if (tag.toLowerCase().startsWith('zh')) return 'zh-CN'
    if (tag.toLowerCase().startsWith('en')) return 'en'
  }
  return 'en'
}

function readStored(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : null
  } catch {
    return null
  }
}

/** Switches the console's language and remembers it in this browser. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // private mode: the choice lasts until reload
  }
  await i18n.changeLanguage(language)
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: Object.keys(resources.en ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
})

const syncDocumentLanguage = (language: string) => {
  document.documentElement.lang = language
}
syncDocumentLanguage(i18n.language)
i18n.on('languageChanged', syncDocumentLanguage)

export default i18n
