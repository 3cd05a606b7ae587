/**
 * The bindings of one device, indexed by a trie over name words so that finding the bindings
 * for a message name costs the name's depth plus the matches, not the number of bindings.
 * Each trie node keeps the bindings ending there: exact names, `*` and `%` wildcards. What a
 * name found is remembered until the bindings change, since a bus carries few names many times.
 */

import { nameWords, wildcardOf } from '../wire/names';

export type BindingKind = 'exact' | '*' | '%';

/** How many message names keep their lookup remembered, per role; traffic rarely uses more names. */
const FOUND_CACHE_SIZE = 4096;

/** What a binding belongs to: the Ksock's id is all the index needs. */
export interface BindingOwner {
  readonly id: number;
}

export class Binding<Owner extends BindingOwner = BindingOwner> {
  /** How many copies queued through this binding are still unpopped (UNBIND removes them). */
  queued = 0;
  active = true;

  constructor(
    /** Increases with every BIND on the device: higher is more recent. */
    readonly seq: number,
    readonly owner: Owner,
    readonly name: string,
    readonly replier: boolean,
    readonly kind: BindingKind,
    readonly node: TrieNode<Owner>,
  ) {}
}

type Role = 'listeners' | 'repliers';

class TrieNode<Owner extends BindingOwner> {
  readonly children = new Map<string, TrieNode<Owner>>();
  readonly ending: Record<BindingKind, Record<Role, Binding<Owner>[]>> = {
    exact: { listeners: [], repliers: [] },
    '*': { listeners: [], repliers: [] },
    '%': { listeners: [], repliers: [] },
  };
  size = 0;

  constructor(
    readonly parent: TrieNode<Owner> | null,
    readonly word: string,
  ) {}
}

/** Whether a `%` binding `extraWords` levels above a message name matches it (1 in KBUS). */
export type PercentRule = (extraWords: number) => boolean;

export class BindingIndex<Owner extends BindingOwner = BindingOwner> {
  private readonly root = new TrieNode<Owner>(null, '');
  /** Every binding, oldest first (insertion order of a Set). */
  private readonly all = new Set<Binding<Owner>>();
  private readonly repliersByName = new Map<string, Binding<Owner>>();
  private seq = 0;
  /**
   * The bindings found for each message name, per role, until the next BIND or UNBIND (or a
   * different `%` rule): a send costs one lookup here, not a walk of the trie.
   */
  private readonly found: Record<Role, Map<string, Binding<Owner>[]>> = { listeners: new Map(), repliers: new Map() };
  private foundWith: PercentRule | null = null;

  add(owner: Owner, name: string, replier: boolean): Binding<Owner> {
    const wildcard = wildcardOf(name);
    let node = this.root;
    for (const word of nameWords(name)) {
      let child = node.children.get(word);
      if (!child) {
        child = new TrieNode(node, word);
        node.children.set(word, child);
      }
      node = child;
    }
    const binding = new Binding(++this.seq, owner, name, replier, wildcard ?? 'exact', node);
    node.ending[binding.kind][replier ? 'repliers' : 'listeners'].push(binding);
    for (let n: TrieNode<Owner> | null = node; n; n = n.parent) n.size++;
    this.all.add(binding);
    if (replier) this.repliersByName.set(name, binding);
    this.forgetFound();
    return binding;
  }

  remove(binding: Binding<Owner>): void {
    const list = binding.node.ending[binding.kind][binding.replier ? 'repliers' : 'listeners'];
    list.splice(list.indexOf(binding), 1);
    for (let n: TrieNode<Owner> | null = binding.node; n; n = n.parent) {
      n.size--;
      if (n.size === 0 && n.parent) n.parent.children.delete(n.word);
    }
    this.all.delete(binding);
    if (binding.replier) this.repliersByName.delete(binding.name);
    binding.active = false;
    this.forgetFound();
  }

  /** The replier binding for exactly this string (no wildcard resolution). */
  replierNamed(name: string): Binding<Owner> | undefined {
    return this.repliersByName.get(name);
  }

  /** Every binding of the given role whose name matches the message name, newest first. */
  matching(messageName: string, role: Role, percentMatches: PercentRule): readonly Binding<Owner>[] {
    if (percentMatches !== this.foundWith) {
      this.forgetFound();
      this.foundWith = percentMatches;
    }
    const found = this.found[role];
    let bindings = found.get(messageName);
    if (!bindings) {
      if (found.size >= FOUND_CACHE_SIZE) found.clear();
      bindings = this.lookUp(messageName, role, percentMatches);
      found.set(messageName, bindings);
    }
    return bindings;
  }

  private lookUp(messageName: string, role: Role, percentMatches: PercentRule): Binding<Owner>[] {
    const words = nameWords(messageName);
    // Each list is oldest first already; most names hit a single list, which needs no sort.
    const lists: Binding<Owner>[][] = [];
    let node: TrieNode<Owner> | undefined = this.root;
    for (let depth = 0; node; depth++) {
      if (depth === words.length) {
        addList(lists, node.ending.exact[role]);
        break;
      }
      addList(lists, node.ending['*'][role]);
      if (percentMatches(words.length - depth)) addList(lists, node.ending['%'][role]);
      node = node.children.get(words[depth]);
    }
    if (lists.length === 0) return [];
    if (lists.length === 1) return lists[0].slice().reverse();
    return lists.flat().sort((a, b) => b.seq - a.seq);
  }

  private forgetFound(): void {
    this.found.listeners.clear();
    this.found.repliers.clear();
  }

  /** Newest first, as /proc/kbus/bindings lists them. */
  newestFirst(): Binding<Owner>[] {
    return [...this.all].reverse();
  }

  get size(): number {
    return this.all.size;
  }
}

function addList<T>(lists: T[][], list: T[]): void {
  if (list.length > 0) lists.push(list);
}
