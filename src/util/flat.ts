/**
 * Flat strings for text that is kept. A template literal is built by adding its pieces one by one,
 * and past 12 characters each addition makes a rope (a cons string: two pointers per piece), so a
 * 50-character explanation built that way takes about 390 bytes of heap instead of about 80.
 * Across 100,000 servers, several such texts each, that is hundreds of megabytes for the garbage
 * collector to copy. `flat` gives exactly the text of the same template literal (every value
 * converted with String(), as a template literal does), built in one piece by Array.join.
 *
 *     flat`${note} ${pct}% of ${allocated} ${unit}`  ===  `${note} ${pct}% of ${allocated} ${unit}`
 */
export function flat(strings: TemplateStringsArray, ...values: unknown[]): string {
  const parts = new Array<string>(2 * values.length + 1)
  parts[0] = strings[0]!
  for (let i = 0; i < values.length; i++) {
    parts[2 * i + 1] = String(values[i])
    parts[2 * i + 2] = strings[i + 1]!
  }
  return parts.join('')
}
