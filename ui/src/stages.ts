// The five stages in contract order; a move only ever goes to a later one.
export const STAGES = ['IN_BOX', 'BUILDING', 'PRIMING', 'PAINTING', 'DONE'] as const
export type Stage = (typeof STAGES)[number]

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value)
}

export function nextStage(stage: Stage): Stage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null
}

export function laterStages(stage: Stage): Stage[] {
  return STAGES.slice(STAGES.indexOf(stage) + 1)
}

export type Counts = Record<Stage, number>
