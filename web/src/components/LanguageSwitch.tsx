import { useTranslation } from 'react-i18next'
import { LANGUAGES, setLanguage, type Language } from '../lib/i18n'

const NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' }

/** Switches between English and Chinese; the choice is remembered in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        value={i18n.language}
        onChange={(event) => void setLanguage(event.target.value as Language)}
        aria-label={t('language.label')}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {NAMES[language]}
          </option>
        ))}
      </select>
    </label>
  )
}
