import '@mantine/core/styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeTokenFromAddress } from './session';

// The sign-in link's token leaves the address bar before anything renders.
takeTokenFromAddress();
createRoot(document.getElementById('root')!).render(<App />);
