// Child process for the lock tests: opens a data directory and keeps it open until killed.
import { openDatabase } from '../../src/store/db.ts';

const database = await openDatabase({ dataDir: process.argv[2], migrate: false });
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
process.on('SIGTERM', () => void database.close().finally(() => process.exit(0)));
