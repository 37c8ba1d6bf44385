/** The two back ends Parley runs on. */
export type DialectName = 'sqlite' | 'postgres';
