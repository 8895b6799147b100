/**
 * Whether a string is an IPv4 or an IPv6 address as Node's `net.isIPv4` / `net.isIPv6` answer
 * (Node 20: lib/internal/net.js, two regular expressions), read by hand instead. Node's checks
 * cost node:net's load (~28 of Node's modules when nothing else loaded it) and, on their first
 * use, the compile of their expressions: `isIPv6` ~15 ms of CPU for its first address and ~3 ms
 * for its second in a fresh process, which every run reading data/metadata-endpoints.json paid
 * (src/semantics/hosts.ts parses `[fd00:ec2::254]` and `[::1]`). test/unit/ip-address.test.ts
 * compares both with Node's on generated and real strings.
 *
 * Node's grammar: an IPv4 address is four decimal numbers 0-255 joined by dots, without leading
 * zeros; an IPv6 address is eight groups of 1-4 hexadecimal digits joined by colons, the last two
 * of which may be an IPv4 address, or fewer groups (at most seven, the IPv4 address counting as
 * two) with one `::` standing for the rest (at the start, inside, or at the end); then a zone, `%`
 * and one or more of `0-9 a-z A-Z - . :`, may follow.
 */

/** One decimal number of an IPv4 address: 0-255, no leading zero, ASCII digits. */
function v4Part(s: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > 3) return false;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    value = value * 10 + c;
  }
  return (n === 1 || s.charCodeAt(from) !== 48) && value <= 255;
}

/** Whether `s` from `from` to `to` is an IPv4 address. */
function v4Between(s: string, from: number, to: number): boolean {
  let start = from;
  for (let part = 0; part < 3; part++) {
    const dot = s.indexOf('.', start);
    if (dot < 0 || dot >= to || !v4Part(s, start, dot)) return false;
    start = dot + 1;
  }
  return v4Part(s, start, to);
}

/** As Node's `net.isIPv4`. */
export function isIPv4(s: string): boolean {
  return v4Between(s, 0, s.length);
}

/** One group of an IPv6 address: 1-4 hexadecimal digits. */
function v6Group(s: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > 4) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/**
 * How many groups `s` from `from` to `to` holds (colon-separated, none empty; the last may be an
 * IPv4 address when `v4Last`, counting two), or -1 when it is not such a list. An empty range holds none.
 */
function groups(s: string, from: number, to: number, v4Last: boolean): number {
  if (from === to) return 0;
  let count = 0;
  for (let start = from; ; ) {
    let colon = s.indexOf(':', start);
    if (colon < 0 || colon > to) colon = to;
    if (colon === to && v4Last && s.lastIndexOf('.', to - 1) >= start) return v4Between(s, start, to) ? count + 2 : -1;
    if (!v6Group(s, start, colon)) return -1;
    count++;
    if (colon === to) return count;
    start = colon + 1;
  }
}

/** A zone's characters: `0-9 a-z A-Z - . :`. */
function zoneChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 46;
}

/** As Node's `net.isIPv6`. */
export function isIPv6(s: string): boolean {
  let end = s.indexOf('%');
  if (end < 0) end = s.length;
  else {
    if (end === s.length - 1) return false;
    for (let i = end + 1; i < s.length; i++) if (!zoneChar(s.charCodeAt(i))) return false;
  }
  const gap = s.indexOf('::');
  if (gap < 0 || gap >= end - 1) {
    // (a `::` only in the zone does not count)
    return groups(s, 0, end, true) === 8;
  }
  if (s.indexOf('::', gap + 1) >= 0 && s.indexOf('::', gap + 1) < end - 1) return false;
  const before = groups(s, 0, gap, false);
  const after = groups(s, gap + 2, end, true);
  return before >= 0 && after >= 0 && before + after <= 7;
}
