// The year's linkage key in this browser (docs/linkage-key.md). The national coordination hands each
// organisation a file of 64 hex characters per year, outside the system; it is read here once per
// year and kept in IndexedDB as a non-extractable Web Crypto key: scripts of the page can sign with it
// but can never read it back (no export, so no way to send it), unlike a string in localStorage.
// Nothing here talks to the server.
import { hmacHex, importYearKey } from '../../../src/standard/linkage.ts';

const DB = 'lagesbild-linkage';
const STORE = 'year-keys';

export type StoredYearKey = { year: string; key: CryptoKey; check: string; loaded_at: string };

/** A short check value of a key (HMAC of a fixed text, 8 hex): the national coordination can say which file is the year's. */
export async function keyCheck(key: CryptoKey): Promise<string> {
  return (await hmacHex(key, 'lagesbild-linkage-check')).slice(0, 8);
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The key kept for a year, or null. */
export async function getYearKey(year: string): Promise<StoredYearKey | null> {
  const found = await withStore<StoredYearKey | undefined>('readonly', (s) => s.get(year));
  return found ?? null;
}

/** Reads a key file's text (64 hex characters) into a non-extractable key and keeps it for the year. */
export async function loadYearKey(year: string, fileText: string): Promise<StoredYearKey> {
  const key = await importYearKey(fileText);
  const stored: StoredYearKey = { year, key, check: await keyCheck(key), loaded_at: new Date().toISOString() };
  await withStore('readwrite', (s) => s.put(stored, year));
  return stored;
}

/** Forgets a year's key in this browser. */
export async function forgetYearKey(year: string): Promise<void> {
  await withStore('readwrite', (s) => s.delete(year));
}
