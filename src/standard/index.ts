export * from './codes.ts';
export * from './countries.ts';
export * from './case.ts';
export * from './derive.ts';
export * from './messages.ts';
export * from './validate.ts';
export * from './csv.ts';
export * from './api-codes.ts';
