// proxy-addr ships no types; only what Parley uses (the same module Fastify's trustProxy uses).
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';
  type Trust = (addr: string, index: number) => boolean;
  function proxyaddr(req: IncomingMessage, trust: Trust | string | string[]): string;
  namespace proxyaddr {
    function compile(val: string | string[]): Trust;
  }
  export default proxyaddr;
}
