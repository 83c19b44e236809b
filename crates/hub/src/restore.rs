//! Serving an office's whole log to an enrolled device of that office (`/v1/office-log`), so a
//! new machine can be restored from the hub's copy: every chain of the office's devices, events
//! the hub refused included, in the order the hub stored them. Another office's device is
//! refused; the page names the office and is signed, so the client can check both.

use qingfeng_sync::Signed;
use qingfeng_sync::restore::{OFFICE_LOG_CONTEXT, OfficeLogPage, OfficeLogRequest};

use crate::error::{HubError, Result};
use crate::hub::{FEED_PAGE_BYTES, Hub, MAX_FEED_LIMIT};
use crate::storage::{Device, FeedLimits, HubStorage};

impl<S: HubStorage> Hub<S> {
    /// One signed page of the calling device's office's own events after hub position `after`.
    pub fn office_log(&self, device: &Device, request: &OfficeLogRequest) -> Result<Signed<OfficeLogPage>> {
        if request.office_code != device.office_code {
            return Err(HubError::Forbidden(format!(
                "设备 {} 属于机关 {}，不能下载机关 {} 的记录。",
                device.device_id, device.office_code, request.office_code
            )));
        }
        let limits = FeedLimits {
            max_events: request.limit.clamp(1, MAX_FEED_LIMIT) as usize,
            max_bytes: FEED_PAGE_BYTES,
            max_scan: MAX_FEED_LIMIT as usize,
        };
        let office = device.office_code.clone();
        let (rows, heads) = self.storage().read(|tx| {
            let rows = tx.office_log_page(&office, request.after, limits)?;
            // The office's device chains only (the heads table also holds the hub's own chain).
            let heads = tx.heads_of_office(&office)?;
            Ok((rows, heads))
        })?;
        let page = OfficeLogPage {
            office_code: office.clone(),
            heads,
            page: qingfeng_sync::FeedPage {
                office_code: office,
                events: rows.events,
                cursor: rows.cursor,
                more: rows.more,
            },
        };
        Ok(Signed::sign(OFFICE_LOG_CONTEXT, &page, self.secret_key())?)
    }
}
