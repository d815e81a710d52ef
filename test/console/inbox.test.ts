import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'
import { until } from '../support/wait.js'

interface Thread {
  items: { id: string; direction: string; authorKind: string; text: string; sentAt: string }[]
}
interface Explanations {
  items: { messageId: string; action: string; record: { models: Record<string, number | null> } }[]
  corrections: { messageId: string; task: string; label: string }[]
}

/** Every translation key of the English locale files (`inbox:decision.title`, `common:nav.inbox`, …). */
function localeKeys(): string[] {
  const dir = resolve(import.meta.dirname, '../../web/src/locales/en')
  const keys: string[] = []
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key)
    } else keys.push(path.replace(/_(one|other)$/, ''))
  }
  for (const file of readdirSync(dir)) walk(JSON.parse(readFileSync(join(dir, file), 'utf8')), '')
  // only keys that could not be mistaken for words of a sentence
  return [...new Set(keys)].filter((key) => key.includes('.'))
}

describeConsole('console inbox', { timeout: 120_000 }, () => {
  let crm: ConsoleFixture

  /** A customer writes in through the API channel; resolves once the agent has decided on the message. */
  async function customerWrites(name: string, text: string, conversationId?: string) {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`
    const delivered = await crm.deliver({ from: { email, name }, text, conversationId })
    await until(async () => {
      const explained = await crm.api<Explanations>(
        'GET',
        `/conversations/${delivered.conversationId}/decisions`,
      )
      return explained.items.some((item) => item.messageId === delivered.messageId)
    }, 90_000)
    return delivered
  }

  const thread = (conversationId: string) =>
    crm.api<Thread>('GET', `/conversations/${conversationId}/messages?limit=200`)

  beforeAll(async () => {
    crm = await startConsole()
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('opens a conversation from the list and explains the decision: evidence, passages, rules, versions', async () => {
    const { conversationId } = await customerWrites('Han Meimei', 'How long does a refund take?')
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/inbox')
    const list = tab.page.getByTestId('conversation-list')
    await list.getByRole('link', { name: /Han Meimei/ }).click()
    await tab.page.waitForURL(`**/inbox/${conversationId}`)
    const message = tab.page.getByTestId('thread').locator('li', { hasText: 'How long does a refund take?' })
    await expect.poll(() => message.getByText('Refund request').count()).toBeGreaterThan(0)
    expect(await message.getByRole('meter', { name: /Intent confidence: \d+%/ }).count()).toBe(1)

    await message.getByRole('button', { name: 'Why did the agent do this?' }).click()
    const panel = tab.page.getByTestId('decision-panel')
    await panel.waitFor()
    const text = (await panel.textContent()) ?? ''
    expect(text).toContain('Answered')
    expect(text).toContain('Evidence words')
    expect(text).toMatch(/Knowledge passages.*score \d/)
    expect(text).toContain('Rules fired')
    expect(text).toMatch(/intent modelv1/)
    expect(text).toMatch(/Knowledge indexv\d+/)
    expect(text).toContain('Language model')
    expect(await panel.locator('.evidence li').count()).toBeGreaterThan(0)
    // the AI answered: its reply is in the thread
    expect(await tab.page.getByTestId('thread').locator('.message--ai').count()).toBeGreaterThan(0)
    await tab.screenshot('inbox-decision')
    tab.expectNoProblems()
    await tab.close()
  })

  it('takes a conversation over: the AI stays quiet and only drafts; approving the draft puts it in the thread', async () => {
    const first = await customerWrites('Zhao Lei', 'What is your return policy?')
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn(`/inbox/${first.conversationId}`)
    await tab.page.getByRole('button', { name: 'Take over' }).click()
    const state = tab.page.getByTestId('conversation-state')
    await expect.poll(() => state.textContent()).toContain('Person')
    await tab.page.getByRole('button', { name: 'Give back to AI' }).waitFor()

    const before = (await thread(first.conversationId)).items.length
    const second = await customerWrites('Zhao Lei', 'How long does shipping take?', first.conversationId)
    // The agent decided (a decision record exists) but sent nothing: the only new message is the customer's.
    const after = (await thread(first.conversationId)).items
    expect(after).toHaveLength(before + 1)
    expect(after.at(-1)).toMatchObject({ id: second.messageId, direction: 'inbound' })

    // The draft waits in the console (live update or the list refresh) and is sent on approval.
    const draft = tab.page.getByTestId('draft')
    await draft.waitFor({ timeout: 45_000 })
    const drafted = ((await draft.locator('.draft__text').textContent()) ?? '').trim()
    expect(drafted.length).toBeGreaterThan(10)
    await draft.getByRole('button', { name: 'Approve and send' }).click()
    await expect.poll(() => tab.page.getByTestId('draft').count()).toBe(0)
    const sent = tab.page
      .getByTestId('thread')
      .locator('.message--outbound', { hasText: drafted.slice(0, 30) })
    await expect.poll(() => sent.count()).toBe(1)
    const final = (await thread(first.conversationId)).items
    expect(final.at(-1)).toMatchObject({ direction: 'outbound', text: drafted })
    await tab.screenshot('inbox-takeover')
    tab.expectNoProblems()
    await tab.close()
  })

  it('corrects an intent: the correction is shown and stored as a training example', async () => {
    const { conversationId, messageId } = await customerWrites('Qian Fang', 'Do you ship to Hong Kong?')
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn(`/inbox/${conversationId}`)
    const message = tab.page.getByTestId('thread').locator('li', { hasText: 'Do you ship to Hong Kong?' })
    await message.getByRole('button', { name: 'Correct intent or sentiment' }).click()
    const dialog = tab.page.getByRole('dialog', { name: 'Correct what the agent perceived' })
    await dialog.getByLabel('Intent').selectOption('complaint')
    await dialog.getByRole('button', { name: 'Save correction' }).click()
    await expect
      .poll(() => message.getByTestId('corrected-intent').textContent())
      .toBe('Intent corrected to Complaint')
    const explained = await crm.api<Explanations>('GET', `/conversations/${conversationId}/decisions`)
    expect(explained.corrections).toContainEqual(
      expect.objectContaining({ messageId, task: 'intent', label: 'complaint' }),
    )
    tab.expectNoProblems()
    await tab.close()
  })

  it('filters the list by queue, intent and search', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/inbox')
    const list = tab.page.getByTestId('conversation-list')
    await tab.page.getByRole('tab', { name: 'Handled by AI' }).click()
    await expect.poll(() => list.getByRole('link', { name: /Han Meimei/ }).count()).toBe(1)
    expect(await list.getByRole('link', { name: /Zhao Lei/ }).count()).toBe(0)
    await tab.page.getByRole('tab', { name: 'All' }).click()
    await tab.page.getByRole('button', { name: /^Filters/ }).click()
    await tab.page.getByLabel('Intent').selectOption('refund_request')
    await expect.poll(() => list.getByRole('link').count()).toBe(1)
    expect(await list.getByRole('link', { name: /Han Meimei/ }).count()).toBe(1)
    await tab.page.getByRole('button', { name: 'Clear filters' }).click()
    await tab.page.getByLabel('Search conversations').fill('Qian Fang')
    await tab.page.getByLabel('Search conversations').press('Enter')
    await expect.poll(() => list.getByRole('link').count()).toBe(1)
    expect(await list.getByRole('link', { name: /Qian Fang/ }).count()).toBe(1)
    await tab.screenshot('inbox')
    tab.expectNoProblems()
    await tab.close()
  })

  it('switches to Chinese (remembered across reloads) with no raw translation keys on screen', async () => {
    const keys = localeKeys()
    expect(keys.length).toBeGreaterThan(100)
    const conversations = await crm.api<{ items: { id: string; customer: { name: string } }[] }>(
      'GET',
      '/inbox/conversations?q=Han%20Meimei',
    )
    const tab = await crm.newPage({ locale: 'en-US', width: 390, height: 844 })
    await tab.signIn(`/inbox/${conversations.items[0].id}`)
    await tab.page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
    await tab.page.getByRole('button', { name: 'AI 为什么这样做？' }).first().click()
    await tab.page.getByTestId('decision-panel').waitFor()
    await tab.page.reload()
    await tab.page.getByRole('button', { name: 'AI 为什么这样做？' }).first().click()
    const panel = tab.page.getByTestId('decision-panel')
    await expect.poll(() => panel.textContent()).toContain('关键证据词')
    expect(await tab.page.locator('html').getAttribute('lang')).toBe('zh-CN')
    const visible = await tab.page.locator('body').innerText()
    expect(visible).toContain('接管')
    expect(keys.filter((key) => visible.includes(key))).toEqual([])
    await tab.screenshot('inbox-zh-390px')
    await tab.page.getByRole('link', { name: '返回列表' }).click()
    await tab.page.getByTestId('conversation-list').waitFor()
    const listText = await tab.page.locator('body').innerText()
    expect(listText).toContain('收件箱')
    expect(keys.filter((key) => listText.includes(key))).toEqual([])
    tab.expectNoProblems()
    await tab.close()
  })

  it('counts customer messages handed to a person in the notifications bell', async () => {
    await customerWrites('Sun Li', 'I want to talk to a real person right now, this is unacceptable!')
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/inbox')
    const bell = tab.page.getByRole('button', { name: /^Notifications \(\d+ unread\)$/ })
    await expect
      .poll(async () => Number(/\((\d+)/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1]))
      .toBeGreaterThan(0)
    await bell.click()
    const panel = tab.page.getByRole('region', { name: 'Notifications' })
    await expect.poll(() => panel.textContent()).toContain('Handed off to a person')
    tab.expectNoProblems()
    await tab.close()
  })
})
