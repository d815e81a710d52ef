/** Who is doing a write; every write leaves an audit entry naming them. */
export interface Actor {
  readonly kind: 'user' | 'token' | 'cli' | 'system'
  readonly id: string | null
  readonly requestId: string | null
}

export const systemActor: Actor = Object.freeze({ kind: 'system', id: null, requestId: null })
export const cliActor: Actor = Object.freeze({ kind: 'cli', id: null, requestId: null })
