/** Node's setTimeout overflows (fires at once) past 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
