import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { LineAdapter } from './line.adapter';

describeChannelAdapterContract(new LineAdapter(), {
  valid: [
    { input: 'U4af4980629ab6b1b3ed39de5c5cbf3d2', normalized: 'U4af4980629ab6b1b3ed39de5c5cbf3d2' },
    { input: ' U4AF4980629AB6B1B3ED39DE5C5CBF3D2 ', normalized: 'U4af4980629ab6b1b3ed39de5c5cbf3d2' },
    { input: 'u4af4980629ab6b1b3ed39de5c5cbf3d2', normalized: 'U4af4980629ab6b1b3ed39de5c5cbf3d2' },
  ],
  invalid: [
    'U4af4980629ab6b1b3ed39de5c5cbf3d',
    'U4af4980629ab6b1b3ed39de5c5cbf3d2a',
    'C4af4980629ab6b1b3ed39de5c5cbf3d2',
    'U4af4980629ab6b1b3ed39de5c5cbf3g2',
    '4af4980629ab6b1b3ed39de5c5cbf3d2',
    'U 4af4980629ab6b1b3ed39de5c5cbf3d2',
  ],
});
