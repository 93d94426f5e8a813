/**
 * A small MaxMind DB writer for tests: networks of our choosing, any record size, IPv4 or IPv6 trees, and
 * IPv6 networks linked to the IPv4 subtree the way MaxMind's own files alias ::ffff:0:0/96 and 2002::/16.
 * Values are strings, unsigned integers, arrays and maps (all the geo layouts need).
 */
type Value = string | number | Value[] | { [key: string]: Value };

interface TreeNode {
  children: [Child, Child];
}
type Child = TreeNode | { data: Value } | null;

function isNode(child: Child): child is TreeNode {
  return child !== null && 'children' in child;
}

/** The bits of an address (IPv4 dotted, or IPv6 with at most one `::`), most significant first. */
function addressBits(address: string, width: 32 | 128): number[] {
  const bytes: number[] = [];
  if (address.includes(':')) {
    const [head, tail] = address.split('::');
    const groups = (text: string | undefined) => (text ? text.split(':').map((g) => parseInt(g, 16)) : []);
    const h = groups(head);
    const t = groups(tail);
    for (const g of [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]) bytes.push(g >> 8, g & 255);
  } else {
    if (width === 128) bytes.push(...new Array<number>(12).fill(0));
    bytes.push(...address.split('.').map(Number));
  }
  const bits: number[] = [];
  for (const byte of bytes) for (let b = 7; b >= 0; b--) bits.push((byte >> b) & 1);
  return bits;
}

export class MmdbWriter {
  private readonly root: TreeNode = { children: [null, null] };
  private readonly width: 32 | 128;

  constructor(private readonly ipVersion: 4 | 6, private readonly recordSize: 24 | 28 | 32 = 28) {
    this.width = ipVersion === 4 ? 32 : 128;
  }

  /**
   * @param network `a.b.c.d/n` or `x:y::/n`; an IPv4 network in an IPv6 tree is placed at ::a.b.c.d/(96 + n).
   * A narrower network inserted after a wider one splits it.
   */
  insert(network: string, value: Value | null): this {
    const [address, length] = network.split('/');
    const v4InV6 = this.width === 128 && !address.includes(':');
    this.place(addressBits(address, this.width).slice(0, Number(length) + (v4InV6 ? 96 : 0)), value === null ? null : { data: value });
    return this;
  }

  /** Points `network` (IPv6) at the IPv4 subtree (the node at ::/96), as MaxMind files do. */
  aliasToIpv4(network: string): this {
    const [address, length] = network.split('/');
    this.place(addressBits(address, 128).slice(0, Number(length)), this.nodeAt(new Array<number>(96).fill(0)));
    return this;
  }

  private nodeAt(bits: number[]): TreeNode {
    let node = this.root;
    for (const bit of bits) {
      const next = node.children[bit];
      if (!isNode(next)) throw new Error('no node there');
      node = next;
    }
    return node;
  }

  private place(bits: number[], child: Child): void {
    let node = this.root;
    for (let depth = 0; depth < bits.length - 1; depth++) {
      let next = node.children[bits[depth]];
      if (!isNode(next)) {
        // A leaf (or nothing) on the way down is split in two copies of itself.
        next = { children: [next, next] };
        node.children[bits[depth]] = next;
      }
      node = next;
    }
    node.children[bits[bits.length - 1]] = child;
  }

  build(): Buffer {
    // Number the nodes breadth first (node 0 the root), each once even when linked twice.
    const ids = new Map<TreeNode, number>();
    const order: TreeNode[] = [];
    const queue: TreeNode[] = [this.root];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (ids.has(node)) continue;
      ids.set(node, order.length);
      order.push(node);
      for (const child of node.children) if (isNode(child)) queue.push(child);
    }
    const nodeCount = order.length;
    const data: Buffer[] = [];
    const offsets = new Map<Value, number>();
    let dataBytes = 0;
    const record = (child: Child): number => {
      if (child === null) return nodeCount;
      if (isNode(child)) return ids.get(child)!;
      let offset = offsets.get(child.data);
      if (offset === undefined) {
        const bytes = encode(child.data);
        offset = dataBytes;
        offsets.set(child.data, offset);
        data.push(bytes);
        dataBytes += bytes.length;
      }
      return nodeCount + 16 + offset;
    };
    const nodeBytes = this.recordSize / 4;
    const tree = Buffer.alloc(nodeCount * nodeBytes);
    order.forEach((node, i) => {
      const [left, right] = node.children.map(record);
      const o = i * nodeBytes;
      if (this.recordSize === 24) {
        tree.writeUIntBE(left, o, 3);
        tree.writeUIntBE(right, o + 3, 3);
      } else if (this.recordSize === 28) {
        tree.writeUIntBE(left & 0xffffff, o, 3);
        tree[o + 3] = ((left >>> 24) << 4) | (right >>> 24);
        tree.writeUIntBE(right & 0xffffff, o + 4, 3);
      } else {
        tree.writeUInt32BE(left, o);
        tree.writeUInt32BE(right, o + 4);
      }
    });
    const metadata = encode({
      node_count: nodeCount, record_size: this.recordSize, ip_version: this.ipVersion, database_type: 'siftlog-test',
      languages: ['en'], binary_format_major_version: 2, binary_format_minor_version: 0, build_epoch: 1_700_000_000,
      description: { en: 'siftlog test database' },
    });
    return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex'), metadata]);
  }
}

/** One value in the MaxMind DB data format (sizes below 29, which is all a test needs). */
function encode(value: Value): Buffer {
  const control = (type: number, size: number): Buffer => {
    if (size >= 29) throw new Error('value too large for this writer');
    return type <= 7 ? Buffer.from([(type << 5) | size]) : Buffer.from([size, type - 7]);
  };
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, text.length), text]);
  }
  if (typeof value === 'number') {
    const bytes: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    return Buffer.concat([control(6, bytes.length), Buffer.from(bytes)]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([key, v]) => [encode(key), encode(v)])]);
}
