export * from './codes.ts';
export * from './countries.ts';
export * from './case.ts';
export * from './derive.ts';
