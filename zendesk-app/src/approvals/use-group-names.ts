// The names of the Zendesk groups the pending requests' rules name, asked of Zendesk once per group
// while the sidebar is open. Until a name arrives (or when Zendesk gives none) the id is shown.
import { useEffect, useRef, useState } from 'react';
import type { ApprovalView } from '@countersign/shared';
import type { ZafClient } from '../zaf/zaf-client';
import { zendeskGroupName } from '../zaf/zendesk-groups';

export function useGroupNames(client: ZafClient, approvals: readonly ApprovalView[] | null): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const asked = useRef(new Set<string>());
  const mounted = useRef(true);
  const wanted = new Set((approvals ?? []).filter((item) => item.status === 'pending').flatMap((item) => item.policy?.reviewers?.zendeskGroups ?? []));
  // A string, so the effect runs when a group no one has asked about yet appears, not on every render.
  const missing = [...wanted].filter((id) => !asked.current.has(id)).join('\n');

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    for (const id of missing ? missing.split('\n') : []) {
      if (asked.current.has(id)) continue;
      asked.current.add(id);
      void zendeskGroupName(client, id).then((name) => {
        if (mounted.current && name) setNames((current) => new Map(current).set(id, name));
      });
    }
  }, [client, missing]);
  return names;
}
