import { expect } from 'chai';
import { portIdentifier, slugifyPortIdentifier } from '../../../src/domain/runs/PortIdentifier.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';

describe('Port identifiers', () => {
  it('slugifies a title the way the tutorial does, and more safely', () => {
    expect(slugifyPortIdentifier('title', 'Backend Prod VM')).to.equal('backend-prod-vm');
    expect(slugifyPortIdentifier('title', '  Équipe Données / Prod #2  ')).to.equal('equipe-donnees-prod-2');
    expect(slugifyPortIdentifier('title', 'db_primary')).to.equal('db_primary');
  });

  it('caps slugs at 100 characters without a trailing dash', () => {
    const slug = slugifyPortIdentifier('title', `${'a'.repeat(99)} b`);
    expect(slug).to.have.length(99);
    expect(slug.endsWith('-')).to.equal(false);
  });

  it('refuses a title with nothing usable', () => {
    expect(() => slugifyPortIdentifier('title', '!!! ???')).to.throw(ValidationError, /at least one letter/);
    expect(() => slugifyPortIdentifier('title', '虚拟机')).to.throw(ValidationError);
  });

  it("validates Port's identifier rule", () => {
    expect(portIdentifier('id', 'vm@prod:eu/1=a+b.c_d-e')).to.equal('vm@prod:eu/1=a+b.c_d-e');
    for (const bad of ['', '.', '..', 'has space', 'ünï', 'a'.repeat(101)]) {
      expect(() => portIdentifier('id', bad), bad).to.throw(ValidationError);
    }
    expect(() => portIdentifier('id', 3)).to.throw(ValidationError, /must be a string/);
  });
});
