/**
 * The k best items seen, by `better`, in a binary heap whose root is the worst kept: choosing a
 * page of neighbours among tens of thousands of scored papers costs n log k, not a sort of all.
 */
export class TopK {
  readonly #heap: number[] = [];
  readonly #k: number;
  readonly #better: (a: number, b: number) => boolean;

  constructor(k: number, better: (a: number, b: number) => boolean) {
    this.#k = k;
    this.#better = better;
  }

  offer(item: number): void {
    const heap = this.#heap;
    if (heap.length < this.#k) {
      heap.push(item);
      this.#up(heap.length - 1);
    } else if (heap.length > 0 && this.#better(item, heap[0] as number)) {
      heap[0] = item;
      this.#down(0);
    }
  }

  /** The items kept, best first. */
  sorted(): number[] {
    return [...this.#heap].sort((a, b) => (this.#better(a, b) ? -1 : this.#better(b, a) ? 1 : 0));
  }

  #up(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#better(heap[parent] as number, heap[index] as number)) break;
      [heap[parent], heap[index]] = [heap[index] as number, heap[parent] as number];
      index = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let worst = index;
      if (left < heap.length && this.#better(heap[worst] as number, heap[left] as number)) worst = left;
      if (right < heap.length && this.#better(heap[worst] as number, heap[right] as number)) worst = right;
      if (worst === index) return;
      [heap[worst], heap[index]] = [heap[index] as number, heap[worst] as number];
      index = worst;
    }
  }
}
