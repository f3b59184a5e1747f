-- A second staff member approves an urgent campaign (the two-person rule):
-- checks and records the approval and appends its audit entry in one step,
-- so two approvers at once, or the author racing a colleague, cannot both win.
-- KEYS[1] meta hash  KEYS[2] the campaign's audit stream (same hash slot)
-- ARGV[1] approver (staff name)  ARGV[2] approved_at (ISO 8601 UTC)
-- ARGV[3..] the audit entry as field/value pairs (store/audit_log.h), XADDed as given
-- Meta fields named here (store/campaign_approval.h): approval, author,
-- approved_by, approved_at.
-- Returns {outcome, author, approved_by, approved_at, audit id}; outcome is
-- approved, unknown (no meta), not_needed, waived, author (refused: the
-- approver submitted it) or already (approved before, by approved_by).
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '', '', '', ''} end
local state = redis.call('HGET', KEYS[1], 'approval')
local author = redis.call('HGET', KEYS[1], 'author') or ''
if not state or state == '' then return {'not_needed', author, '', '', ''} end
if state == 'waived' then return {'waived', author, '', '', ''} end
if state == 'approved' then
  return {'already', author, redis.call('HGET', KEYS[1], 'approved_by') or '',
          redis.call('HGET', KEYS[1], 'approved_at') or '', ''}
end
-- pending, or an unknown value (read as pending everywhere): approvable.
if string.lower(author) == string.lower(ARGV[1]) then return {'author', author, '', '', ''} end
redis.call('HSET', KEYS[1], 'approval', 'approved', 'approved_by', ARGV[1], 'approved_at', ARGV[2])
local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
return {'approved', author, ARGV[1], ARGV[2], id}
