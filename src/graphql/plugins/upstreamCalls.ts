import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { PROVIDERS, type Provider } from '../../model/session.ts';
import { MAX_ENTITY_REPRESENTATIONS } from '../federation.ts';
import { fromGlobalId } from '../ids.ts';
import { MAX_SESSION_REFS } from '../resolvers.ts';

/** Vendor calls one session read may take, per provider (`ProviderModule.callsPerSession`, 1 where unset). */
export type CallsPerSession = (provider: Provider) => number;

/** What an operation may ask of vendors: distinct sessions, and the calls they can take. */
export interface UpstreamEstimate {
  sessions: number;
  calls: number;
}

type Variables = Record<string, unknown>;

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Variables;
  callsPerSession: CallsPerSession;
  /** `PROVIDER\0id` of every session named, so aliases and duplicates count once (the loader calls once). */
  sessions: Set<string>;
  /** Calls of sessions the operation cannot name in advance (the timeline's entries): a page of them each. */
  unnamedCalls: number;
}

/**
 * The vendor calls an operation can make, from its document and variables, before any of them is made: each
 * distinct (provider, id) it names (`session`, `sessions(refs:)`, `node`, `_entities`) times its provider's calls per
 * session, plus, for `sessionEvents { … session }`, its page of sessions at the most calls any provider takes. The
 * session cache is not consulted: whether an operation is refused does not depend on what happens to be cached.
 * Values that do not coerce count nothing here (execution refuses them with BAD_USER_INPUT before any call).
 */
export function estimateUpstreamCalls(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  callsPerSession: CallsPerSession,
): UpstreamEstimate {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk: Walk = { fragments, variables, callsPerSession, sessions: new Set(), unnamedCalls: 0 };
  if (operation.operation === 'query') {
    for (const field of rootFields(walk, operation.selectionSet, new Set())) countRootField(walk, field);
  }
  let calls = walk.unnamedCalls;
  for (const key of walk.sessions) calls += callsPerSession(key.slice(0, key.indexOf('\u0000')) as Provider);
  return { sessions: walk.sessions.size, calls };
}

/** The root fields selected, fragments expanded and `@skip`/`@include` applied. */
function rootFields(walk: Walk, selectionSet: SelectionSetNode, seen: Set<string>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(walk, selection.selectionSet, seen));
    else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      fields.push(...rootFields(walk, fragment.selectionSet, new Set([...seen, name])));
    }
  }
  return fields;
}

function included(walk: Walk, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
  } catch {
    return true; // validation reports a bad directive argument
  }
}

function countRootField(walk: Walk, field: FieldNode): void {
  switch (field.name.value) {
    case 'session':
      addRef(walk, argument(walk, field, 'provider'), argument(walk, field, 'id'));
      return;
    case 'sessions':
      for (const ref of capped(argument(walk, field, 'refs'), MAX_SESSION_REFS)) {
        addRef(walk, item(ref, 'provider'), item(ref, 'id'));
      }
      return;
    case 'node':
      addGlobalId(walk, argument(walk, field, 'id'));
      return;
    case '_entities':
      for (const representation of capped(argument(walk, field, 'representations'), MAX_ENTITY_REPRESENTATIONS)) {
        const provider = item(representation, 'provider');
        if (provider !== undefined) addRef(walk, provider, item(representation, 'providerSessionId'));
        else addGlobalId(walk, item(representation, 'id'));
      }
      return;
    case 'sessionEvents':
      if (selectsEventSession(walk, field.selectionSet, new Set())) {
        const first = argument(walk, field, 'first');
        const page = typeof first === 'number' && first > 0 ? Math.min(first, 100) : 50;
        walk.unnamedCalls += page * Math.max(...PROVIDERS.map(walk.callsPerSession));
      }
      return;
  }
}

/** True when a `sessionEvents` selection reaches `SessionEvent.session` (`edges { node { session } }`). */
function selectsEventSession(walk: Walk, selectionSet: SelectionSetNode | undefined, seen: Set<string>): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.some((selection) => {
    if (!included(walk, selection)) return false;
    if (selection.kind === Kind.FIELD) {
      return selection.name.value === 'session' || selectsEventSession(walk, selection.selectionSet, seen);
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsEventSession(walk, selection.selectionSet, seen);
    const fragment = walk.fragments.get(selection.name.value);
    if (!fragment || seen.has(selection.name.value)) return false;
    return selectsEventSession(walk, fragment.selectionSet, new Set([...seen, selection.name.value]));
  });
}

function argument(walk: Walk, field: FieldNode, name: string): unknown {
  const value: ValueNode | undefined = field.arguments?.find((a) => a.name.value === name)?.value;
  return value === undefined ? undefined : valueFromASTUntyped(value, walk.variables);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The items of a list the resolver takes; none of one over its cap, which the resolver refuses before any call. */
const capped = (value: unknown, max: number): unknown[] => {
  const items = list(value);
  return items.length > max ? [] : items;
};

const item = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

function addRef(walk: Walk, provider: unknown, id: unknown): void {
  if (typeof id !== 'string' || !PROVIDERS.includes(provider as Provider)) return;
  walk.sessions.add(`${provider}\u0000${id}`);
}

function addGlobalId(walk: Walk, id: unknown): void {
  const ref = typeof id === 'string' ? fromGlobalId(id) : null;
  if (ref) addRef(walk, ref.provider, ref.id);
}
