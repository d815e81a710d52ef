import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkflowStep } from './types'

const EDGE_FIELDS = ['next', 'then', 'else', 'onReject'] as const
type Via = (typeof EDGE_FIELDS)[number]

export interface GraphEdge {
  readonly from: string
  readonly to: string
  readonly via: Via
}

export interface GraphLayout {
  readonly width: number
  readonly height: number
  readonly nodes: {
    readonly step: WorkflowStep
    readonly x: number
    readonly y: number
    readonly layer: number
  }[]
  readonly edges: GraphEdge[]
}

const NODE_W = 168
const NODE_H = 52
const GAP_X = 28
const GAP_Y = 64
const PAD = 16
const BACK_MARGIN = 56

/**
 * Lays a workflow out in topological layers: the entry (the first step) on top, each step one layer
 * below the nearest step that leads to it (breadth-first, so loops through a wait step do not push steps
 * down forever), steps nobody reaches at the bottom. Within a layer, steps keep their definition order.
 */
export function layoutWorkflow(steps: readonly WorkflowStep[]): GraphLayout {
  const ids = new Set(steps.map((step) => step.id))
  const edges: GraphEdge[] = steps.flatMap((step) =>
    EDGE_FIELDS.flatMap((via) => {
      const to = step[via]
      return to !== undefined && ids.has(to) ? [{ from: step.id, to, via }] : []
    }),
  )
  const depth = new Map<string, number>()
  if (steps.length > 0) {
    depth.set(steps[0].id, 0)
    const queue = [steps[0].id]
    while (queue.length > 0) {
      const current = queue.shift() as string
      for (const edge of edges) {
        if (edge.from !== current || depth.has(edge.to)) continue
        depth.set(edge.to, (depth.get(current) ?? 0) + 1)
        queue.push(edge.to)
      }
    }
  }
  const deepest = Math.max(-1, ...depth.values())
  for (const step of steps) if (!depth.has(step.id)) depth.set(step.id, deepest + 1)
  const layers: WorkflowStep[][] = []
  for (const step of steps) {
    const layer = depth.get(step.id) as number
    ;(layers[layer] ??= []).push(step)
  }
  const widest = Math.max(1, ...layers.map((layer) => layer?.length ?? 0))
  const hasBackEdges = edges.some((edge) => (depth.get(edge.to) ?? 0) <= (depth.get(edge.from) ?? 0))
  const contentWidth = widest * NODE_W + (widest - 1) * GAP_X
  const width = contentWidth + 2 * PAD + (hasBackEdges ? BACK_MARGIN : 0)
  const nodes: GraphLayout['nodes'] = []
  layers.forEach((layer, index) => {
    if (!layer) return
    const rowWidth = layer.length * NODE_W + (layer.length - 1) * GAP_X
    const left = PAD + (contentWidth - rowWidth) / 2
    layer.forEach((step, position) => {
      nodes.push({
        step,
        layer: index,
        x: left + position * (NODE_W + GAP_X),
        y: PAD + index * (NODE_H + GAP_Y),
      })
    })
  })
  const height = 2 * PAD + layers.length * NODE_H + Math.max(0, layers.length - 1) * GAP_Y
  return { width, height, nodes, edges }
}

const TYPE_COLOURS: Record<string, string> = {
  perceive: '#e8eefc',
  reason: '#efe9fc',
  action: '#e3f4ea',
  branch: '#fff2d9',
  wait: '#f1f3f7',
  approval: '#fde8e7',
  webhook: '#e6f4f7',
}
const STATUS_STROKES: Record<string, string> = {
  done: '#1e7f4f',
  failed: '#c0322b',
  retrying: '#9a5b00',
  waiting: '#2456d6',
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

/**
 * A workflow definition drawn as an SVG graph: steps as boxes in layers, edges as arrows labelled with their
 * branch (`then`, `else`, `on reject`). With `statuses` (a run's), each step's box is outlined in its status
 * colour. A list of the same steps follows for screen readers and keyboards.
 */
export function WorkflowGraph({
  steps,
  statuses,
}: {
  steps: readonly WorkflowStep[]
  statuses?: Readonly<Record<string, string>>
}) {
  const { t } = useTranslation('workflows')
  const marker = `arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  const layout = layoutWorkflow(steps)
  const position = new Map(layout.nodes.map((node) => [node.step.id, node]))
  const right = layout.width - 20
  const typeLabel = (type: string) => t(`stepType.${type}`, { defaultValue: type })
  return (
    <figure className="wf-graph" data-testid="workflow-graph">
      <div className="wf-graph__scroll">
        <svg
          role="img"
          aria-label={t('graph.label', { count: steps.length })}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          className="wf-graph__svg"
          // scales down to the card (not below 70 %: narrower screens scroll instead)
          style={{ maxWidth: layout.width, minWidth: Math.round(layout.width * 0.7) }}
        >
          <defs>
            <marker
              id={marker}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill="#5f6b7f" />
            </marker>
          </defs>
          {layout.edges.map((edge) => {
            const from = position.get(edge.from)
            const to = position.get(edge.to)
            if (!from || !to) return null
            const back = to.layer <= from.layer
            const x1 = back ? from.x + NODE_W : from.x + NODE_W / 2
            const y1 = back ? from.y + NODE_H / 2 : from.y + NODE_H
            const x2 = back ? to.x + NODE_W : to.x + NODE_W / 2
            const y2 = back ? to.y + NODE_H / 2 : to.y
            const d = back
              ? `M${x1},${y1} C${right},${y1} ${right},${y2} ${x2 + 2},${y2}`
              : `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2 - 2}`
            const label = edge.via === 'next' ? null : t(`graph.via.${edge.via}`)
            const lx = back ? right - 4 : (x1 + x2) / 2
            const ly = (y1 + y2) / 2
            return (
              <g key={`${edge.from}-${edge.via}-${edge.to}`} className="wf-graph__edge">
                <path d={d} fill="none" stroke="#8a94a6" strokeWidth={1.5} markerEnd={`url(#${marker})`} />
                {label && (
                  <text x={lx} y={ly} textAnchor="middle" className="wf-graph__edge-label">
                    {label}
                  </text>
                )}
              </g>
            )
          })}
          {layout.nodes.map(({ step, x, y }) => {
            const status = statuses?.[step.id]
            return (
              <g key={step.id} className="wf-graph__node" data-step={step.id} data-status={status}>
                <title>{`${step.id} — ${typeLabel(step.type)}${step.action ? ` (${step.action})` : ''}${status ? ` — ${t(`stepStatus.${status}`, { defaultValue: status })}` : ''}`}</title>
                <rect
                  x={x}
                  y={y}
                  width={NODE_W}
                  height={NODE_H}
                  rx={8}
                  fill={TYPE_COLOURS[step.type] ?? '#f1f3f7'}
                  stroke={status ? (STATUS_STROKES[status] ?? '#5f6b7f') : '#cdd3de'}
                  strokeWidth={status ? 2.5 : 1}
                />
                <text x={x + 10} y={y + 21} className="wf-graph__node-id">
                  {clip(step.id, 22)}
                </text>
                <text x={x + 10} y={y + 39} className="wf-graph__node-type">
                  {clip(step.action ? `${typeLabel(step.type)} · ${step.action}` : typeLabel(step.type), 26)}
                </text>
              </g>
            )
          })}
        </svg>
      </div>
      <details className="wf-graph__list">
        <summary>{t('graph.asList')}</summary>
        <ol>
          {steps.map((step) => {
            const outgoing = layout.edges.filter((edge) => edge.from === step.id)
            return (
              <li key={step.id}>
                <strong>{step.id}</strong> ({typeLabel(step.type)}
                {step.action ? `: ${step.action}` : ''})
                {statuses?.[step.id] && (
                  <> — {t(`stepStatus.${statuses[step.id]}`, { defaultValue: statuses[step.id] })}</>
                )}
                {outgoing.length > 0 && (
                  <>
                    {' → '}
                    {outgoing
                      .map((edge) =>
                        edge.via === 'next' ? edge.to : `${t(`graph.via.${edge.via}`)}: ${edge.to}`,
                      )
                      .join(', ')}
                  </>
                )}
              </li>
            )
          })}
        </ol>
      </details>
    </figure>
  )
}
