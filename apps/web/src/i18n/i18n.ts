import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { vi } from './vi';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('tieuchi.language');

// Vietnamese ships with the first bundle; English loads when chosen, to keep the public page small.
void i18next.use(initReactI18next).init({
  resources: { vi: { translation: vi } },
  lng: 'vi',
  fallbackLng: 'vi',
  interpolation: { escapeValue: false },
  returnNull: false,
});

async function load(language: Language): Promise<void> {
  if (language === 'en' && !i18next.hasResourceBundle('en', 'translation')) i18next.addResourceBundle('en', 'translation', (await import('./en')).en);
}

function switchTo(language: Language): void {
  void load(language).then(() => i18next.changeLanguage(language));
}

if (stored === 'en') switchTo('en');

export function setLanguage(language: Language): void {
  localStorage.setItem('tieuchi.language', language);
  document.documentElement.lang = language;
  switchTo(language);
}

export { i18next };
