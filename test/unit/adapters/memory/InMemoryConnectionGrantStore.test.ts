import { InMemoryConnectionGrantStore } from '../../../../src/adapters/memory/InMemoryConnectionGrantStore.js';
import { connectionGrantStoreContract } from '../../../contracts/connectionGrantStoreContract.js';

connectionGrantStoreContract('InMemoryConnectionGrantStore', async () => new InMemoryConnectionGrantStore());
