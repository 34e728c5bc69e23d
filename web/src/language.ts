// The reader's language: the path's where it has one (/en/…), else the one last used in this
// browser, so a reload of a coordinator's page (one path in either language) keeps the choice.
import type { Lang } from './i18n.ts';

const key = 'lagesbild.lang';

/** The language stored in this browser, if any (storage may be off: then nothing is kept). */
export function storedLang(storage: Pick<Storage, 'getItem'> | null = safeStorage()): Lang | null {
  try {
    const v = storage?.getItem(key);
    return v === 'sv' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

export function storeLang(lang: Lang, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(key, lang);
  } catch {
    // Private browsing or storage turned off: the choice lasts for this page only.
  }
}

/** The language to start in: the path's, then the stored choice, then the page's own (lang="…"). */
export function initialLang(pathLang: Lang | undefined, stored: Lang | null, documentLang: string): Lang {
  return pathLang ?? stored ?? (documentLang === 'en' ? 'en' : 'sv');
}

function safeStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
