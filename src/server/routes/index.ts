import type { App } from '../../app.js'
import { adminRoutes } from './admin.js'
import { companyRoutes } from './companies.js'
import { consoleRoutes } from './console.js'
import { customerRoutes } from './customers.js'
import { systemRoutes } from './system.js'
import type { ApiServer } from './types.js'

/** Every route of the API, one file per capability. */
export async function registerRoutes(server: ApiServer, app: App): Promise<void> {
  systemRoutes(server, app)
  consoleRoutes(server)
  customerRoutes(server, app)
  companyRoutes(server, app)
  adminRoutes(server, app)
}
