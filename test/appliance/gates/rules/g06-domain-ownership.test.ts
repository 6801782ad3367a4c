import t from 'tap';
import { domainOwnership as gate } from '../../../../appliance/src/domain/gates/rules/g06-domain-ownership.js';
import { failsWith, judge, passes, request } from '../fixture.js';

const bind = (domain: unknown, imvu = 'IMVU-042') => request('domain.bind', { imvu, resource: 'domain:x', params: { domain } });

t.test('a verified domain binds, compared as a DNS name', async (t) => {
  passes(t, judge(gate, bind('example.org')));
  passes(t, judge(gate, bind('EXAMPLE.org.')), 'case and trailing dot');
  passes(t, judge(gate, bind('shop.example.com')), 'stored in another spelling');
});

t.test('an unverified, malformed or foreign domain fails', async (t) => {
  failsWith(t, judge(gate, bind('evil.example')), 'DOMAIN_UNVERIFIED');
  failsWith(t, judge(gate, bind('sub.example.org')), 'DOMAIN_UNVERIFIED', 'a subdomain is its own claim');
  failsWith(t, judge(gate, bind('example..org')), 'DOMAIN_INVALID');
  failsWith(t, judge(gate, bind(undefined)), 'DOMAIN_INVALID');
  failsWith(t, judge(gate, bind('example.org', 'IMVU-999')), 'IMVU_UNKNOWN');
});
