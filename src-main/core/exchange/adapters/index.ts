// The foreign adapters the import pipeline tries, in order. Filled by the adapters work (issue 5).
import type { ForeignAdapter } from '../types';

export const FOREIGN_ADAPTERS: ForeignAdapter[] = [];
