/**
 * A case's EXPLAIN (ANALYZE, BUFFERS) plan as an indented tree, collapsed in <details>:
 * node type, relation, index, actual rows (per loop, with loops), shared buffers. Files
 * written before plans were recorded as trees show the node list instead.
 */
import type { CaseResult, PlanTreeNode } from '../results/results-schema.ts';
import { esc } from './html-escape.ts';

function node(n: PlanTreeNode): string {
  const on = n.relation ? ` on <b>${esc(n.relation)}</b>` : '';
  const using = n.index ? ` using <b>${esc(n.index)}</b>` : '';
  const rows = `rows ${n.rows.toLocaleString('en-US')}${n.loops && n.loops !== 1 ? ` x ${n.loops.toLocaleString('en-US')} loops` : ''}`;
  const buffers = n.buffers ? `, buffers ${n.buffers.hit.toLocaleString('en-US')} hit / ${n.buffers.read.toLocaleString('en-US')} read` : '';
  const children = n.children?.length ? `<ul>${n.children.map(node).join('')}</ul>` : '';
  return `<li><span class="node">${esc(n.type)}</span>${on}${using} <span class="muted">(${rows}${buffers})</span>${children}</li>`;
}

export function planTree(c: CaseResult): string {
  if (!c.plan) return '-';
  const indexes = c.plan.indexes.length ? ` (${c.plan.indexes.join(', ')})` : '';
  const summary = `${[...new Set(c.plan.nodes)].join(' > ')}${indexes}`;
  const body = c.plan.tree ? `<ul class="plan">${node(c.plan.tree)}</ul>` : `<p class="muted">plan nodes, depth first: ${esc(c.plan.nodes.join(' > '))}</p>`;
  return `<details><summary>${esc(summary)}</summary>${body}</details>`;
}
