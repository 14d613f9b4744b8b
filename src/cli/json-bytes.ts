/**
 * The characters that shape JSON text, as byte values (the same in UTF-8 bytes and in UTF-16 code units), for the
 * scanners that read JSON without parsing it.
 */
export const JSON_BYTE = {
  openObject: 0x7b,
  closeObject: 0x7d,
  openArray: 0x5b,
  closeArray: 0x5d,
  quote: 0x22,
  backslash: 0x5c,
  comma: 0x2c,
  newline: 0x0a
} as const

/** JSON's insignificant whitespace: space, line feed, carriage return and tab. */
export function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}
