/**
 * `1234567` → `"1,234,567"`, as `toLocaleString('en-US')` writes whole numbers,
 * without loading ICU's locale data: its first use costs about 20 ms, which
 * activation and the picker's first answer should not pay.
 */
export function thousands(n: number): string {
  const [whole, fraction] = String(n).split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}
