import net from 'node:net';

/** 203.0.113.42 → 203.0.113.0; 2001:db8:1:2::1 → 2001:db8:1:: (a /48): enough to show where from, not who. */
export function truncateIp(ip: string): string {
  const address = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (net.isIPv4(address)) return address.replace(/\.\d+$/, '.0');
  if (net.isIPv6(address)) {
    const [head] = address.split('::');
    const groups = head.split(':').filter(Boolean).slice(0, 3);
    return `${groups.join(':')}::`;
  }
  return '';
}
