import { describe, expect, it } from 'vitest'
import {
  aiMaySend,
  handlerAfter,
  handlerAfterStatusChange,
  replyCapReached,
  replyCapWindowStart,
  DEFAULT_AI_REPLIES_PER_HOUR,
} from './takeover.js'

const ai = { handler: 'ai', assigneeId: null } as const
const owned = { handler: 'human', assigneeId: 'usr_owner' } as const

describe('takeover rules', () => {
  it('makes the conversation human on a hand-off, keeping its owner or landing in the queue', () => {
    expect(handlerAfter(ai, { kind: 'hand_off' })).toEqual({ handler: 'human', assigneeId: null })
    expect(handlerAfter(ai, { kind: 'hand_off', assigneeId: 'usr_x' })).toEqual({
      handler: 'human',
      assigneeId: 'usr_x',
    })
    expect(handlerAfter({ handler: 'ai', assigneeId: 'usr_last' }, { kind: 'hand_off' })).toEqual({
      handler: 'human',
      assigneeId: 'usr_last',
    })
  })

  it('makes the conversation human on an assignment and on a human reply (the replier owns an unowned one)', () => {
    expect(handlerAfter(ai, { kind: 'assign', assigneeId: 'usr_a' })).toEqual({
      handler: 'human',
      assigneeId: 'usr_a',
    })
    expect(handlerAfter(ai, { kind: 'human_reply', userId: 'usr_r' })).toEqual({
      handler: 'human',
      assigneeId: 'usr_r',
    })
    expect(handlerAfter(owned, { kind: 'human_reply', userId: 'usr_r' })).toEqual(owned)
    expect(handlerAfter(ai, { kind: 'human_reply', userId: null })).toEqual({
      handler: 'human',
      assigneeId: null,
    })
  })

  it('returns the conversation to the AI when resolved (owner kept) or given back (owner cleared)', () => {
    expect(handlerAfter(owned, { kind: 'resolve' })).toEqual({ handler: 'ai', assigneeId: 'usr_owner' })
    expect(handlerAfter(owned, { kind: 'give_back' })).toEqual({ handler: 'ai', assigneeId: null })
  })

  it('returns the handler to ai only when a conversation becomes resolved or closed', () => {
    expect(handlerAfterStatusChange({ status: 'open', handler: 'human' }, 'resolved')).toBe('ai')
    expect(handlerAfterStatusChange({ status: 'pending', handler: 'human' }, 'closed')).toBe('ai')
    expect(handlerAfterStatusChange({ status: 'open', handler: 'human' }, 'pending')).toBe('human')
    // already resolved: closing it later changes nothing a person set since
    expect(handlerAfterStatusChange({ status: 'resolved', handler: 'human' }, 'closed')).toBe('human')
  })

  it('lets the AI send only while it handles the conversation', () => {
    expect(aiMaySend('ai')).toBe(true)
    expect(aiMaySend('human')).toBe(false)
  })

  it('caps AI replies per hour at the configured number (default 5; 0 means never on its own)', () => {
    expect(DEFAULT_AI_REPLIES_PER_HOUR).toBe(5)
    expect(replyCapReached(4, 5)).toBe(false)
    expect(replyCapReached(5, 5)).toBe(true)
    expect(replyCapReached(0, 0)).toBe(true)
    expect(replyCapWindowStart(new Date('2026-11-25T10:30:00.000Z')).toISOString()).toBe(
      '2026-11-25T09:30:00.000Z',
    )
  })
})
