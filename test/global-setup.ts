// Runs once before the suite. Store helpers add the migrated PGlite template here.
export default async function setup() {}
