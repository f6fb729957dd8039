import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import './styles/base.css'
import './styles/layout.css'
import './styles/controls.css'
import './styles/feedback.css'
import './styles/data.css'
import './styles/create.css'
import './styles/task.css'
import './styles/nodes.css'
import './styles/human-forms.css'
import './styles/manual.css'
import './styles/poll.css'
import './styles/responsive.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
