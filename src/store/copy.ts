// Bulk load with COPY … FROM, on both drivers: PGlite reads a blob, node-postgres speaks the
// COPY sub-protocol itself (so no extra package is needed).
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Tx } from './db.ts';

export type CopyValue = string | number | boolean | null;

const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const special = /[\\\t\n\r]/;
const copyValue = (v: CopyValue) => {
  if (v === null) return '\\N';
  const s = String(v);
  return special.test(s) ? s.replace(/[\\\t\n\r]/g, (m) => escapes[m]) : s;
};

/** Rows in COPY's text format: tab-separated, `\N` for null. */
export function copyText(rows: Iterable<readonly CopyValue[]>): string {
  const lines: string[] = [];
  for (const row of rows) lines.push(row.map(copyValue).join('\t'));
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The connection a Drizzle transaction runs on: a pg client or a PGlite transaction. */
function clientOf(tx: Tx): unknown {
  return (tx as unknown as { session: { client: unknown } }).session.client;
}

/** Loads COPY text into a table, inside the caller's transaction. */
export async function copyInto(tx: Tx, table: string, columns: readonly string[], text: string): Promise<void> {
  if (text === '') return;
  const statement = `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM`;
  const client = clientOf(tx);
  if (client instanceof pg.Client) return copyFromStdin(client, `${statement} STDIN`, text);
  if (client instanceof PGlite || typeof (client as { query?: unknown })?.query === 'function') {
    await (client as PGlite).query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
    return;
  }
  throw new Error('copyInto needs a transaction on PGlite or node-postgres');
}

const CHUNK = 1 << 16;

function copyFromStdin(client: pg.Client, statement: string, text: string): Promise<void> {
  const buffer = Buffer.from(text);
  return new Promise((resolve, reject) => {
    // A pg "submittable": the client hands it the connection when the server asks for data.
    // On an error pg drops the active query before ReadyForQuery, so reject right there.
    client.query({
      submit: (connection: { query(text: string): void }) => connection.query(statement),
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        for (let i = 0; i < buffer.length; i += CHUNK) connection.sendCopyFromChunk(buffer.subarray(i, i + CHUNK));
        connection.endCopyFrom();
      },
      handleError: reject,
      handleReadyForQuery: () => resolve(),
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyData() {},
    } as never);
  });
}
