/** MS-DOS date and time fields, as zip entries carry them. */

/** MS-DOS date and time of a UTC moment (2-second resolution, years 1980–2107). */
export function dosDateTime(date: Date): {date: number; time: number} {
  const y = date.getUTCFullYear()
  if (y < 1980 || y > 2107) throw new RangeError(`zip timestamps cover 1980–2107, not ${y}`)
  return {
    date: ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
  }
}
