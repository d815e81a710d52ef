import type { TestApp } from './app.js'

/** Small helpers that create the records most API tests need, through the API itself. */

export async function createCustomer(
  t: TestApp,
  payload: Record<string, unknown> = {},
): Promise<{ id: string }> {
  const response = await t.request('agent', {
    method: 'POST',
    url: '/api/v1/customers',
    payload: { name: 'Test Customer', ...payload },
  })
  if (response.statusCode !== 201) throw new Error(`customer not created: ${response.body}`)
  return response.json()
}

export async function createInbox(
  t: TestApp,
  payload: Record<string, unknown> = {},
): Promise<{ id: string; channel: string }> {
  const response = await t.request('admin', {
    method: 'POST',
    url: '/api/v1/inboxes',
    payload: {
      name: 'Website chat',
      channel: 'chat',
      address: `widget-${Math.random().toString(36).slice(2)}`,
      ...payload,
    },
  })
  if (response.statusCode !== 201) throw new Error(`inbox not created: ${response.body}`)
  return response.json()
}

export async function createConversation(
  t: TestApp,
  payload: Record<string, unknown>,
): Promise<{ id: string; customerId: string; inboxId: string }> {
  const response = await t.request('agent', { method: 'POST', url: '/api/v1/conversations', payload })
  if (response.statusCode !== 201) throw new Error(`conversation not created: ${response.body}`)
  return response.json()
}

/** Rows in a table, counted straight from the database. */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const row = await t.app.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The ids of a list response, in order. */
export function ids(response: { json(): unknown }): string[] {
  return (response.json() as { items: { id: string }[] }).items.map((item) => item.id)
}

/** An inbound customer message through the API channel, as an integration delivers it (202 expected). */
export async function deliverApiMessage(
  t: TestApp,
  text: string,
  messageId: string,
  email = `${messageId}@example.com`,
): Promise<{ messageId: string; conversationId: string; customerId: string }> {
  const response = await t.request('integration', {
    method: 'POST',
    url: '/api/v1/channels/api/messages',
    payload: { from: { email, name: 'Li Lei' }, text, messageId },
  })
  if (response.statusCode !== 202)
    throw new Error(`message not delivered: ${response.statusCode} ${response.body}`)
  return response.json()
}
