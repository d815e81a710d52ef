import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'

interface Customer360 {
  customer: { id: string; name: string | null; email: string | null }
  recentOrders: unknown[]
  recentEvents: unknown[]
  conversations: { id: string }[]
}

describeConsole('console: customers and the customer 360', () => {
  let crm: ConsoleFixture
  /** A demo customer with orders, behaviour events and conversations. */
  let rich: Customer360
  /** Two customers the console should suggest merging. */
  const pair = { keep: '', other: '' }
  const agent = { email: 'agent.amy@example.com', password: 'another long passphrase' }

  beforeAll(async () => {
    crm = await startConsole()
    const page = await crm.api<{ items: { id: string }[] }>('GET', '/customers?limit=40')
    for (const { id } of page.items) {
      const view = await crm.api<Customer360>('GET', `/customers/${id}/360`)
      if (
        view.customer.name &&
        view.recentOrders.length > 0 &&
        view.recentEvents.length > 0 &&
        view.conversations.length > 0
      ) {
        rich = view
        break
      }
    }
    expect(rich, 'a demo customer with orders, events and conversations').toBeDefined()

    // The same person wrote once by email, once by SMS, then from both: a duplicate suggestion.
    pair.keep = (
      await crm.deliver({ from: { email: 'mei.dup@example.com', name: 'Mei Dup' }, text: 'Hello' })
    ).customerId
    pair.other = (
      await crm.deliver({ from: { phone: '+8613900139000', name: 'Mei Phone' }, text: 'Hi' })
    ).customerId
    const both = await crm.deliver({
      from: { email: 'mei.dup@example.com', phone: '+8613900139000' },
      text: 'It is me again, about my order',
    })
    expect(both.customerId).toBe(pair.keep)

    await crm.api('POST', '/users', { ...agent, role: 'agent', name: 'Amy Agent' })
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('finds a customer in the list and opens the 360 with orders, timeline and conversations', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/customers')
    await tab.page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor()
    await tab.page.getByRole('table').waitFor()
    await tab.screenshot('customers')

    await tab.page.getByLabel('Search customers').fill(rich.customer.name!)
    await tab.page.getByRole('button', { name: 'Search' }).click()
    await tab.page.getByRole('link', { name: rich.customer.name!, exact: true }).first().click()

    await expect
      .poll(() => tab.page.getByRole('heading', { level: 1 }).textContent())
      .toBe(rich.customer.name)
    expect(new URL(tab.page.url()).pathname).toBe(`/customers/${rich.customer.id}`)
    const orders = tab.page.getByRole('region', { name: /^Orders/ })
    await expect.poll(() => orders.getByRole('row').count()).toBe(rich.recentOrders.length + 1)
    await expect
      .poll(() => tab.page.getByTestId('timeline').getByRole('listitem').count())
      .toBe(rich.recentEvents.length)
    const conversations = tab.page.getByRole('region', { name: /^Conversations/ })
    const links = conversations.getByRole('link')
    await expect.poll(() => links.count()).toBe(rich.conversations.length)
    expect(await links.first().getAttribute('href')).toBe(`/inbox/${rich.conversations[0].id}`)
    // an admin sees export and erasure
    await tab.page.getByRole('button', { name: 'Erase…' }).waitFor()
    await tab.page.getByRole('button', { name: 'Export data (JSON)' }).waitFor()
    await tab.screenshot('customer-360')

    await tab.page.setViewportSize({ width: 390, height: 844 })
    await orders.scrollIntoViewIfNeeded()
    await tab.screenshot('customer-360-390px')
    tab.expectNoProblems()
    await tab.close()
  })

  it('merges a suggested duplicate after a confirmation', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn(`/customers/${pair.keep}`)
    const duplicates = tab.page.getByTestId('duplicates')
    await duplicates.getByRole('link', { name: 'Mei Phone' }).waitFor()

    await duplicates.getByRole('button', { name: 'Merge Mei Phone into this customer' }).click()
    const dialog = tab.page.getByRole('dialog', { name: 'Merge these customers?' })
    await dialog.waitFor()
    // cancelling changes nothing
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(
      (await crm.api<{ mergedIntoId: string | null }>('GET', `/customers/${pair.other}`)).mergedIntoId,
    ).toBeNull()

    await duplicates.getByRole('button', { name: 'Merge Mei Phone into this customer' }).click()
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click()
    await tab.page.getByText('Customers merged.').waitFor()
    await tab.page.getByText('No duplicate suggestions.').waitFor()
    const merged = await crm.api<{ mergedIntoId: string | null }>('GET', `/customers/${pair.other}`)
    expect(merged.mergedIntoId).toBe(pair.keep)
    // the merged customer's identities now show on the winner
    await tab.page.getByText('+8613900139000').first().waitFor()
    await tab.screenshot('customer-merged')
    tab.expectNoProblems()
    await tab.close()
  })

  it('does not offer export or erasure to an agent', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    // sign in as the agent, not the admin an earlier test left signed in
    await tab.page.context().clearCookies()
    await tab.page.goto(`${crm.base}/customers/${rich.customer.id}`)
    await tab.page.locator('input[type=email]').fill(agent.email)
    await tab.page.locator('input[type=password]').fill(agent.password)
    await tab.page.locator('button[type=submit]').click()
    await expect
      .poll(() => tab.page.getByRole('heading', { level: 1 }).textContent())
      .toBe(rich.customer.name)
    await tab.page.getByRole('region', { name: /^Orders/ }).waitFor()
    // agents may still edit the profile, but privacy actions are for admins
    await tab.page.getByRole('button', { name: 'Edit' }).waitFor()
    expect(await tab.page.getByRole('button', { name: 'Erase…' }).count()).toBe(0)
    expect(await tab.page.getByRole('region', { name: 'Privacy' }).count()).toBe(0)
    tab.expectNoProblems()
    await tab.close()
  })

  it('edits the profile in place', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn(`/customers/${pair.keep}`)
    const profile = tab.page.getByRole('region', { name: 'Profile' })
    await profile.getByRole('button', { name: 'Edit' }).click()
    const form = tab.page.getByRole('region', { name: 'Edit profile' })
    await form.getByLabel('Tags').fill('wholesale, repeat buyer')
    await form.getByRole('button', { name: 'Save' }).click()
    await tab.page.getByText('Profile saved.').waitFor()
    const customer = await crm.api<{ tags: string[] }>('GET', `/customers/${pair.keep}`)
    expect(customer.tags).toEqual(['wholesale', 'repeat buyer'])
    await tab.page.getByRole('region', { name: 'Profile' }).getByText('repeat buyer').waitFor()
    tab.expectNoProblems()
    await tab.close()
  })
})
