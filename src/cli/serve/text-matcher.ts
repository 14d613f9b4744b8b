/**
 * Finds many strings in a text in one pass (Aho-Corasick over UTF-16 code units). Building costs time and memory
 * linear in the patterns' total length; a scan costs time linear in the text, however many patterns there are and
 * however much they overlap. `steps` counts the trie moves of the last scan, so tests can check that bound.
 */
export class TextMatcher {
  private size = 1
  /** A node with one child keeps it here (-1: none); a node with more keeps them all in `branches`. */
  private readonly onlyCode: Int32Array
  private readonly onlyChild: Int32Array
  private readonly branches = new Map<number, Map<number, number>>()
  private readonly fail: Int32Array
  /** The length of the longest pattern that ends at this node (0 for none). */
  private readonly longest: Int32Array
  /** The root's children by code unit (0: none), since a scan spends most of its time at the root. */
  private readonly fromRoot = new Int32Array(0x10000)
  steps = 0

  constructor(patterns: string[]) {
    const capacity = patterns.reduce((total, pattern) => total + pattern.length, 1)
    this.onlyCode = new Int32Array(capacity).fill(-1)
    this.onlyChild = new Int32Array(capacity)
    this.fail = new Int32Array(capacity)
    this.longest = new Int32Array(capacity)
    for (const pattern of patterns) this.insert(pattern)
    for (const [code, node] of this.children(0)) this.fromRoot[code] = node
    this.link()
  }

  get empty(): boolean {
    return this.size === 1
  }

  private child(node: number, code: number): number {
    if (this.onlyCode[node] === code) return this.onlyChild[node]
    return this.branches.get(node)?.get(code) ?? -1
  }

  private children(node: number): Array<[number, number]> {
    const many = this.branches.get(node)
    if (many) return [...many]
    return this.onlyCode[node] === -1 ? [] : [[this.onlyCode[node], this.onlyChild[node]]]
  }

  private insert(pattern: string): void {
    if (pattern === '') return
    let node = 0
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i)
      let next = this.child(node, code)
      if (next === -1) {
        next = this.size++
        const many = this.branches.get(node)
        if (many) many.set(code, next)
        else if (this.onlyCode[node] === -1) {
          this.onlyCode[node] = code
          this.onlyChild[node] = next
        } else {
          this.branches.set(
            node,
            new Map([
              [this.onlyCode[node], this.onlyChild[node]],
              [code, next]
            ])
          )
          this.onlyCode[node] = -1
        }
      }
      node = next
    }
    this.longest[node] = pattern.length
  }

  /** Failure links, breadth first, and for each node the longest pattern that ends there by any of them. */
  private link(): void {
    const queue = this.children(0).map(([, node]) => node)
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]
      for (const [code, next] of this.children(node)) {
        let fallback = this.fail[node]
        let target = this.child(fallback, code)
        while (target === -1 && fallback !== 0) {
          fallback = this.fail[fallback]
          target = this.child(fallback, code)
        }
        this.fail[next] = target === -1 ? 0 : target
        this.longest[next] = Math.max(this.longest[next], this.longest[this.fail[next]])
        queue.push(next)
      }
    }
  }

  /** The stretches [start, end) of the text covered by any pattern, overlapping ones merged, in order. */
  ranges(text: string): Array<[number, number]> {
    const merged: Array<[number, number]> = []
    this.steps = 0
    let node = 0
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      let next = node === 0 ? this.fromRoot[code] || -1 : this.child(node, code)
      while (next === -1 && node !== 0) {
        this.steps++
        node = this.fail[node]
        next = node === 0 ? this.fromRoot[code] || -1 : this.child(node, code)
      }
      this.steps++
      node = next === -1 ? 0 : next
      const length = this.longest[node]
      if (length === 0) continue
      let start = i + 1 - length
      while (merged.length > 0 && merged[merged.length - 1][1] > start) {
        start = Math.min(start, (merged.pop() as [number, number])[0])
      }
      merged.push([start, i + 1])
    }
    return merged
  }

  /** The text with every stretch covered by a pattern replaced by `replacement`. */
  replace(text: string, replacement: string): string {
    if (this.empty) return text
    const ranges = this.ranges(text)
    if (ranges.length === 0) return text
    let result = ''
    let from = 0
    for (const [start, end] of ranges) {
      result += text.slice(from, start) + replacement
      from = end
    }
    return result + text.slice(from)
  }
}
