import { describe, expect, it } from 'vitest'
import { detectAutomaticMessage } from './automatic-mail.js'

const automatic = (headers: Record<string, string | string[]>, from?: string) =>
  detectAutomaticMessage({ headers, from })

describe('automatic mail guard', () => {
  it('recognises auto-replies by Auto-Submitted, whatever the case of the header name', () => {
    expect(automatic({ 'Auto-Submitted': 'auto-replied' })).toEqual({
      automatic: true,
      reason: 'Auto-Submitted: auto-replied',
    })
    expect(automatic({ 'auto-submitted': 'auto-generated; owner-email="x@example.com"' }).reason).toBe(
      'Auto-Submitted: auto-generated',
    )
    expect(automatic({ 'AUTO-SUBMITTED': 'Auto-Notified' }).automatic).toBe(true)
  })

  it('answers mail marked Auto-Submitted: no (a person sent it)', () => {
    expect(automatic({ 'Auto-Submitted': 'no' })).toEqual({ automatic: false, reason: null })
    expect(automatic({ 'Auto-Submitted': ' No ' }).automatic).toBe(false)
  })

  it('recognises bulk, list and junk precedence but not first-class mail', () => {
    for (const value of ['bulk', 'list', 'junk', 'BULK']) {
      expect(automatic({ Precedence: value }).automatic, value).toBe(true)
    }
    expect(automatic({ Precedence: 'first-class' }).automatic).toBe(false)
  })

  it('recognises X-Autoreply, X-Autorespond, X-Auto-Response-Suppress and mailing lists', () => {
    expect(automatic({ 'X-Autoreply': 'yes' }).reason).toBe('x-autoreply: yes')
    expect(automatic({ 'X-Autorespond': 'Out of office' }).automatic).toBe(true)
    expect(automatic({ 'X-Autoreply': 'no' }).automatic).toBe(false)
    expect(automatic({ 'X-Auto-Response-Suppress': 'DR, OOF' }).reason).toBe('X-Auto-Response-Suppress: oof')
    expect(automatic({ 'X-Auto-Response-Suppress': 'DR, RN' }).automatic).toBe(false)
    expect(automatic({ 'List-Id': '<support.lists.example.com>' }).reason).toBe('List-Id')
  })

  it('recognises bounces: mailer-daemon and postmaster senders, an empty Return-Path, delivery reports', () => {
    expect(automatic({ From: 'Mail Delivery System <MAILER-DAEMON@mx.example.com>' }).reason).toBe(
      'bounce from mailer-daemon',
    )
    expect(automatic({}, 'postmaster@example.org').reason).toBe('bounce from postmaster')
    expect(automatic({ 'Return-Path': '<>' }).automatic).toBe(true)
    expect(
      automatic({ 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' }).reason,
    ).toBe('Content-Type: multipart/report')
  })

  it('recognises an Exim-style bounce by X-Failed-Recipients', () => {
    expect(automatic({ 'X-Failed-Recipients': 'typo@example.com' }).reason).toBe(
      'X-Failed-Recipients (a bounce)',
    )
    expect(automatic({ 'X-Failed-Recipients': ' ' }).automatic).toBe(false)
  })

  it("answers a customer's ordinary mail, including one whose address merely contains daemon", () => {
    expect(
      automatic(
        {
          From: '王小明 <xiaoming@example.com>',
          Subject: 'Re: 我的订单',
          'Content-Type': 'text/plain; charset=utf-8',
          'Return-Path': '<xiaoming@example.com>',
        },
        'xiaoming@example.com',
      ),
    ).toEqual({ automatic: false, reason: null })
    expect(automatic({ From: 'not-a-mailer-daemon@example.com' }).automatic).toBe(false)
    expect(automatic({ Received: ['a', 'b'] }).automatic).toBe(false)
  })
})
