import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImapFlow } from 'imapflow'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type Mail from 'nodemailer/lib/mailer/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { cliRunner, onlyJson } from '../support/cli.js'
import { describeEachDatabase, testServices } from '../support/databases.js'
import { hasDovecot, startDovecot, type Dovecot } from '../support/dovecot.js'
import { createInbox } from '../support/records.js'

const TITLE = 'email channel: IMAP polling against dovecot [imap]'

const compose = (options: Mail.Options) => new MailComposer(options).compile().build()

function imapSuite() {
  describeEachDatabase(TITLE, (database) => {
    let dovecot: Dovecot
    let t: TestApp
    let inbox: { id: string }
    const PASSWORD_ENV = 'AGENTCRM_IMAP_PASSWORD_SUPPORT'

    beforeAll(async () => {
      dovecot = await startDovecot()
      t = await createTestApp(database, undefined, {
        imapPasswords: { [PASSWORD_ENV]: dovecot.password, AGENTCRM_IMAP_PASSWORD_WRONG: 'not-it' },
        emailAttachmentMaxBytes: 8 * 1024,
      })
      inbox = await createInbox(t, {
        name: 'Support (IMAP)',
        channel: 'email',
        address: dovecot.user,
        settings: {
          imap: {
            host: dovecot.host,
            port: dovecot.port,
            tls: false,
            user: dovecot.user,
            passwordEnv: PASSWORD_ENV,
          },
        },
      })
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
      await dovecot?.stop()
    })

    /** A client of our own, as the customer's mail server would be, to put mail in and read flags back. */
    async function mailbox<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
      const client = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        auth: { user: dovecot.user, pass: dovecot.password },
        logger: false,
      })
      client.on('error', () => {})
      await client.connect()
      try {
        await client.mailboxOpen('INBOX')
        return await work(client)
      } finally {
        await client.logout()
      }
    }
    const append = (raw: Buffer | string) => mailbox((client) => client.append('INBOX', raw))
    const flagsOf = (uid: number) =>
      mailbox(async (client) => {
        const message = await client.fetchOne(String(uid), { flags: true }, { uid: true })
        return message ? [...(message.flags ?? [])] : []
      })
    const poll = (id = inbox.id) =>
      t.request('admin', { method: 'POST', url: `/api/v1/inboxes/${id}/mailbox/poll` })
    const status = async (id = inbox.id) =>
      (await t.request('viewer', { method: 'GET', url: `/api/v1/inboxes/${id}/mailbox` })).json()
    const byChannelId = (channelMessageId: string) =>
      t.app.store.db
        .selectFrom('messages')
        .selectAll()
        .where('inboxId', '=', inbox.id)
        .where('channelMessageId', '=', channelMessageId)
        .executeTakeFirst()
    const messagesInInbox = async () =>
      Number(
        (
          await t.app.store.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('inboxId', '=', inbox.id)
            .executeTakeFirstOrThrow()
        ).n,
      )

    it('files new mail with its attachments and threading, flags it \\Seen only once filed, and skips what cannot be filed', async () => {
      const manual = Buffer.from('%PDF manual for the kettle')
      await append(
        await compose({
          from: '赵敏 <zhao.min@example.com>',
          to: dovecot.user,
          subject: '电水壶不加热',
          messageId: '<kettle-1@example.com>',
          text: '我买的电水壶不加热了，怎么办？',
          attachments: [{ filename: 'photo.pdf', content: manual, contentType: 'application/pdf' }],
        }),
      )
      // no sender: can never be filed — skipped and left unread for a person
      await append(
        'To: support@shop.example\r\nSubject: who am I\r\nMessage-ID: <nobody-1@x>\r\n\r\nhello\r\n',
      )
      await append(
        await compose({
          from: 'zhao.min@example.com',
          to: dovecot.user,
          subject: 'Re: 电水壶不加热',
          messageId: '<kettle-2@example.com>',
          inReplyTo: '<kettle-1@example.com>',
          references: ['<kettle-1@example.com>'],
          text: '补充：订单号 SO-5001',
        }),
      )
      const response = await poll()
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({
        status: 'ok',
        fetched: 3,
        filed: 2,
        duplicates: 0,
        rejected: [expect.objectContaining({ uid: 2, code: 'CHANNEL_EMAIL_NO_SENDER' })],
        error: null,
      })
      const first = await byChannelId('<kettle-1@example.com>')
      const second = await byChannelId('<kettle-2@example.com>')
      expect(first?.text).toBe('我买的电水壶不加热了，怎么办？')
      expect(second?.conversationId).toBe(first?.conversationId)
      const attachments = (
        await t.request('viewer', { method: 'GET', url: `/api/v1/attachments?messageId=${first?.id}` })
      ).json().items
      expect(attachments).toEqual([
        expect.objectContaining({ filename: 'photo.pdf', size: manual.byteLength }),
      ])
      const envelope = await t.app.store.db
        .selectFrom('email_messages')
        .select(['receivedVia'])
        .where('messageId', '=', String(first?.id))
        .executeTakeFirst()
      expect(envelope?.receivedVia).toBe('imap')
      expect(await flagsOf(1)).toContain('\\Seen')
      expect(await flagsOf(2)).not.toContain('\\Seen')
      expect(await flagsOf(3)).toContain('\\Seen')
      expect(await status()).toMatchObject({
        status: 'ok',
        lastError: null,
        lastUid: 3,
        imap: { host: dovecot.host, passwordEnv: PASSWORD_ENV, passwordSet: true },
      })
      expect(JSON.stringify(await status())).not.toContain(dovecot.password)
    })

    it('does nothing on a second poll', async () => {
      const before = await messagesInInbox()
      const response = await poll()
      expect(response.json()).toMatchObject({ status: 'ok', fetched: 0, filed: 0 })
      expect(await messagesInInbox()).toBe(before)
    })

    it('re-reads mail after a crash before the position was saved as duplicates, never twice', async () => {
      // as if the process died after filing but before saving its position and flagging \Seen
      await t.app.store.db
        .updateTable('email_mailboxes')
        .set({ lastUid: 0 })
        .where('inboxId', '=', inbox.id)
        .execute()
      await mailbox((client) => client.messageFlagsRemove('1:*', ['\\Seen'], { uid: true }))
      const before = await messagesInInbox()
      const response = await poll()
      expect(response.json()).toMatchObject({ status: 'ok', fetched: 3, filed: 0, duplicates: 2 })
      expect(await messagesInInbox()).toBe(before)
      expect(await flagsOf(1)).toContain('\\Seen')
    })

    it('picks up only what arrived since, and never polls a mailbox another process holds', async () => {
      await append(
        await compose({
          from: 'new.person@example.com',
          to: dovecot.user,
          subject: 'Hello',
          messageId: '<later-1@example.com>',
          text: 'Do you ship to Hong Kong?',
        }),
      )
      const response = await poll()
      expect(response.json()).toMatchObject({ status: 'ok', fetched: 1, filed: 1 })
      expect(await byChannelId('<later-1@example.com>')).toBeDefined()

      const held = await t.app.channels.mailboxes.claim(
        inbox.id,
        'another-process',
        t.clock.now(),
        60_000,
        true,
      )
      expect(held).toMatchObject({ inboxId: inbox.id })
      const busy = await poll()
      expect(busy.statusCode).toBe(409)
      expect(busy.json().error.code).toBe('CHANNEL_POLL_BUSY')
      // the lease runs out: polling works again
      t.clock.advance(61_000)
      expect((await poll()).json().status).toBe('ok')
    })

    it('reports a wrong password on the inbox status and backs off, without throwing', async () => {
      const wrong = await createInbox(t, {
        name: 'Wrong password',
        channel: 'email',
        address: 'wrong@shop.example',
        settings: {
          imap: {
            host: dovecot.host,
            port: dovecot.port,
            tls: false,
            user: dovecot.user,
            passwordEnv: 'AGENTCRM_IMAP_PASSWORD_WRONG',
          },
        },
      })
      const response = await poll(wrong.id)
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({
        status: 'error',
        error: expect.stringContaining('authentication failed'),
      })
      const first = await status(wrong.id)
      expect(first).toMatchObject({
        status: 'error',
        failures: 1,
        lastError: expect.stringContaining('authentication'),
      })
      expect(Date.parse(first.nextPollAt)).toBeGreaterThan(t.clock.now().getTime())
      // the loop's pass does not poll it before the backoff is over, and never throws
      const reports = await t.app.channels.imap.runOnce()
      expect(reports.find((report) => report.inboxId === wrong.id)?.status).toBe('not_due')
      t.clock.advance(2 * 60 * 60_000)
      await t.app.channels.imap.runOnce()
      expect(await status(wrong.id)).toMatchObject({ status: 'error', failures: 2 })

      const unset = await createInbox(t, {
        name: 'No password',
        channel: 'email',
        address: 'unset@shop.example',
        settings: {
          imap: {
            host: dovecot.host,
            port: dovecot.port,
            tls: false,
            user: dovecot.user,
            passwordEnv: 'AGENTCRM_IMAP_PASSWORD_NOT_SET',
          },
        },
      })
      expect((await poll(unset.id)).json().error).toContain('AGENTCRM_IMAP_PASSWORD_NOT_SET')
    })

    if (database.name === 'sqlite') {
      it('polls once from the command line: agentcrm channel poll <inboxId> --json', async () => {
        await append(
          await compose({
            from: 'cli.person@example.com',
            to: dovecot.user,
            subject: 'From the CLI',
            messageId: '<cli-1@example.com>',
            text: 'Hello from a one-off poll',
          }),
        )
        const dir = mkdtempSync(join(tmpdir(), 'agentcrm-cli-imap-'))
        try {
          const run = cliRunner(() => dir, {
            env: {
              AGENTCRM_DATABASE_URL: String(t.path),
              AGENTCRM_SECRET: 'test-secret',
              [PASSWORD_ENV]: dovecot.password,
            },
          })
          const result = await run('channel', 'poll', inbox.id, '--json')
          expect(result.code, result.stderr).toBe(0)
          expect(onlyJson(result)).toMatchObject({ inboxId: inbox.id, status: 'ok', filed: 1 })
          expect(await byChannelId('<cli-1@example.com>')).toBeDefined()
          const unknown = await run('channel', 'poll', 'inb_nope', '--json')
          expect(unknown.code).toBe(1)
          expect(onlyJson(unknown)).toMatchObject({ error: { code: 'CRM_INBOX_NOT_FOUND' } })
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }, 120_000)
    }
  })
}

if (hasDovecot()) {
  imapSuite()
} else if (testServices.requireServices) {
  describe(TITLE, () => {
    it('runs against a real dovecot (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error('/usr/sbin/dovecot is missing: apt-get install dovecot-imapd (.ci/run does)')
    })
  })
} else {
  describe.skip(`${TITLE} (install dovecot-imapd)`, () => {
    it('runs against a real dovecot', () => {})
  })
}
