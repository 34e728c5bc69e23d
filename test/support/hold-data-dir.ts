// Child process for the lock tests: opens a data directory and keeps it open until killed.
// It installs no signal handler of its own: the store's lock must clean up on SIGTERM by itself.
import { openDatabase } from '../../src/store/db.ts';

await openDatabase({ dataDir: process.argv[2], migrate: false });
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
