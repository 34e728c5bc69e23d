import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/store/schema.ts', './src/store/instance.ts', './src/stats/schema.ts', './src/access/schema.ts'],
  out: './src/store/migrations',
});
