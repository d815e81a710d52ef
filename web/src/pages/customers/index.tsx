import { Route, Routes } from 'react-router-dom'
import { Customer360 } from './Customer360'
import { CustomerList } from './CustomerList'
import './customers.css'

/** Customers: the searchable list (`/customers`) and the customer 360 (`/customers/:id`). */
export default function CustomersPage() {
  return (
    <Routes>
      <Route index element={<CustomerList />} />
      <Route path=":id" element={<Customer360 />} />
    </Routes>
  )
}
