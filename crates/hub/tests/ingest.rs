//! Accepting change sets: idempotency, gaps, equivocation, revocation, authority, ownership
//! changes and what each office's feed then carries. Real keys, real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qingfeng_hub::storage::EventStatus;
use qingfeng_log::kind;
use qingfeng_log::payload::{OfficeCreated, OwnershipChanged, OwnershipDeclined};
use qingfeng_sync::envelope::RECEIPT_CONTEXT;
use qingfeng_sync::{Receipt, Signed};

on_each_backend! {
fn the_same_change_set_again_gets_the_same_receipt_bytes(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let events = vec![d.work("complaint:1"), d.work("complaint:1")];
    let signed = d.sign(events).encode();
    let first = hub.accept_changeset(&signed).unwrap();
    let again = hub.accept_changeset(&signed).unwrap();
    assert_eq!(outcome(&first), "accepted");
    assert_eq!(first.signed, again.signed, "a repeated set gets the stored receipt, byte for byte");
    let receipt = Signed::<Receipt>::decode(&first.signed).unwrap().open(RECEIPT_CONTEXT, hub.public_key()).unwrap();
    assert_eq!((receipt.first_seq, receipt.last_seq), (1, 2));
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 2);
    assert!(hub.verify_events().unwrap().ok);
}
}

on_each_backend! {
fn an_overlapping_set_appends_only_its_new_tail(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let e: Vec<_> = (0..5).map(|_| d.work("complaint:1")).collect();
    assert_eq!(d.send(&hub, e[..3].to_vec()), "accepted");
    assert_eq!(d.send(&hub, e[1..].to_vec()), "accepted");
    assert_eq!(d.send(&hub, e[..2].to_vec()), "accepted", "a set the hub holds entirely is accepted again");
    let chain = hub.chain_of("wuhua-1").unwrap();
    assert_eq!(chain.len(), 5);
    assert_eq!(ids(&chain.into_iter().map(|(e, _)| e).collect::<Vec<_>>()), ids(&e));
}
}

on_each_backend! {
fn a_set_after_a_gap_waits_and_is_applied_when_the_missing_one_arrives(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let a: Vec<_> = (0..2).map(|_| d.work("complaint:1")).collect();
    let b: Vec<_> = (0..2).map(|_| d.work("complaint:1")).collect();
    let c: Vec<_> = (0..2).map(|_| d.work("complaint:1")).collect();
    let (sb, sc) = (d.sign(b), d.sign(c));
    assert_eq!(outcome(&hub.accept_changeset(&sc.encode()).unwrap()), "gap");
    assert_eq!(outcome(&hub.accept_changeset(&sb.encode()).unwrap()), "gap");
    assert_eq!(hub.counts().unwrap().waiting, 2);
    assert!(hub.chain_of("wuhua-1").unwrap().is_empty());

    assert_eq!(d.send(&hub, a), "accepted");
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 6, "both waiting sets were applied in order");
    assert_eq!(hub.counts().unwrap().waiting, 0);
    let later = hub.accept_changeset(&sc.encode()).unwrap();
    assert_eq!(outcome(&later), "accepted", "the waiting set now has a final receipt");
    assert_eq!(hub.stored_receipt(&sb.id()).unwrap().unwrap().len(), later.signed.len());
    assert!(hub.verify_events().unwrap().ok);
}
}

on_each_backend! {
fn another_event_at_a_held_seq_is_equivocation_and_raises_an_alarm(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let first = d.work("complaint:1");
    assert_eq!(d.send(&hub, vec![first.clone()]), "accepted");
    // The device "forgets" seq 1 and writes another event there.
    let mut twin = Device { seq: 0, head: qingfeng_log::event::GENESIS, hlc: 0, ..d };
    let other = twin.work("complaint:2");
    assert_eq!(twin.send(&hub, vec![other]), "equivocation");
    let alarms = hub.alarms().unwrap();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].kind, "equivocation");
    assert_eq!(alarms[0].device_id.as_deref(), Some("wuhua-1"));
    assert_eq!(hub.chain_of("wuhua-1").unwrap()[0].0, first, "the held event stays");
}
}

on_each_backend! {
fn a_set_whose_prev_does_not_match_the_head_is_a_broken_chain(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    assert_eq!(
        {
            let e = d.work("complaint:1");
            d.send(&hub, vec![e])
        },
        "accepted"
    );
    d.head = [9; 32];
    assert_eq!(
        {
            let e = d.work("complaint:1");
            d.send(&hub, vec![e])
        },
        "broken_chain"
    );
}
}

on_each_backend! {
fn unknown_devices_bad_signatures_and_revoked_devices_are_refused(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut stranger = Device::new(WUHUA, "stranger");
    assert_eq!(
        {
            let e = stranger.work("complaint:1");
            stranger.send(&hub, vec![e])
        },
        "unknown_device"
    );

    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let real_key = std::mem::replace(&mut d.key, qingfeng_sync::SecretKey::generate(qingfeng_sync::Alg::Ed25519));
    let e = d.work("complaint:1");
    assert_eq!(d.send(&hub, vec![e.clone()]), "bad_signature");
    d.key = real_key;
    assert_eq!(d.send(&hub, vec![e]), "accepted", "a bad signature leaves nothing behind");

    hub.revoke_device("wuhua-1", "笔记本丢失").unwrap();
    assert_eq!(
        {
            let e = d.work("complaint:1");
            d.send(&hub, vec![e])
        },
        "revoked"
    );
    let alarms = hub.alarms().unwrap();
    assert_eq!(alarms.iter().filter(|a| a.kind == "revoked_device").count(), 1);
    assert!(hub.revoke_device("wuhua-1", "again").is_err());
}
}

on_each_backend! {
fn writing_another_offices_aggregate_is_unauthorized_but_does_not_block_the_queue(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut panlong = Device::enrolled(&hub, PANLONG, "panlong-1");
    assert_eq!(
        {
            let e = wuhua.work("complaint:w");
            wuhua.send(&hub, vec![e])
        },
        "accepted"
    );

    let intrusion = vec![panlong.work("complaint:p"), panlong.work("complaint:w")];
    let intrusion_ids = ids(&intrusion);
    assert_eq!(panlong.send(&hub, intrusion), "unauthorized");
    // The refused events stay in the chain, so the device's next set links and is accepted.
    let chain = hub.chain_of("panlong-1").unwrap();
    assert_eq!(chain.iter().map(|(_, s)| *s).collect::<Vec<_>>(), [EventStatus::Refused; 2]);
    assert_eq!(
        {
            let e = panlong.work("complaint:p2");
            panlong.send(&hub, vec![e])
        },
        "accepted"
    );
    // Nothing of the refused set reached any feed, and it took no ownership.
    for office in [WUHUA, PANLONG, KUNMING, PROVINCE] {
        let feed = ids(&read_feed(&hub, office, "reader"));
        assert!(intrusion_ids.iter().all(|id| !feed.contains(id)), "{office}");
    }
    assert!(hub.aggregate("complaint:p").unwrap().is_none());
    assert_eq!(hub.aggregate("complaint:w").unwrap().unwrap().owner, WUHUA);
    assert!(hub.verify_events().unwrap().ok);
}
}

on_each_backend! {
fn an_office_may_create_only_itself_and_never_order_ownership_changes(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let created = |code: &str| OfficeCreated {
        code: code.into(),
        name: "某机关".into(),
        level: qingfeng_log::office::OfficeLevel::County,
        parent_code: Some(KUNMING.into()),
    };
    let own = d.event(kind::OFFICE_CREATED, &format!("office:{WUHUA}"), &created(WUHUA));
    assert_eq!(d.send(&hub, vec![own]), "accepted");
    let other = d.event(kind::OFFICE_CREATED, &format!("office:{WUHUA}"), &created(PANLONG));
    assert_eq!(d.send(&hub, vec![other]), "unauthorized");
    let forged = d.event(
        kind::OWNERSHIP_CHANGED,
        "complaint:1",
        &OwnershipChanged {
            aggregate: "complaint:1".into(),
            from_office: PANLONG.into(),
            to_office: WUHUA.into(),
            epoch: 2,
            reason: "assign".into(),
            offer_event: "x".into(),
            cut: vec![],
        },
    );
    assert_eq!(d.send(&hub, vec![forged]), "unauthorized");
}
}

on_each_backend! {
fn office_private_events_stay_with_their_office(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut a = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let user = a.event(kind::USER_CREATED, "user:u1", &serde_json::json!({"user_id": "u1"}));
    let work = a.work("complaint:1");
    assert_eq!(a.send(&hub, vec![user.clone(), work.clone()]), "accepted");

    let same_office = ids(&read_feed(&hub, WUHUA, "wuhua-2"));
    assert!(
        same_office.contains(&user.id) && same_office.contains(&work.id),
        "a second device of the office gets both"
    );
    assert!(!ids(&read_feed(&hub, WUHUA, "wuhua-1")).contains(&work.id), "never the caller's own events");
    for office in [KUNMING, PROVINCE] {
        let feed = ids(&read_feed(&hub, office, "reader"));
        assert!(feed.contains(&work.id), "{office} oversees the county");
        assert!(!feed.contains(&user.id), "{office} never sees the county's accounts");
    }
    for office in [PANLONG, QUJING, QILIN] {
        assert!(!ids(&read_feed(&hub, office, "reader")).contains(&work.id), "{office} has no jurisdiction");
    }
}
}

on_each_backend! {
fn every_feed_starts_with_the_directory_from_the_hub(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    for office in [PROVINCE, QILIN] {
        let feed = read_feed(&hub, office, "reader");
        let codes: Vec<String> = feed
            .iter()
            .filter(|e| e.kind == kind::OFFICE_CREATED)
            .map(|e| e.payload::<OfficeCreated>().unwrap().code)
            .collect();
        assert_eq!(codes, [PROVINCE, KUNMING, WUHUA, PANLONG, QUJING, QILIN], "{office}");
        assert!(feed.iter().all(|e| e.origin_office == "hub" && e.origin_device == hub.device_id()));
    }
}
}

on_each_backend! {
fn offices_added_as_one_list_get_the_feeds_one_at_a_time_gives_them(backend) {
    use qingfeng_hub::{Hub, NewOffice};
    use qingfeng_sync::Alg;
    use qingfeng_log::office::OfficeLevel;
    let one_dir = tempfile::tempdir().unwrap();
    let one_by_one = backend.hub_in(one_dir.path());
    let list_dir = tempfile::tempdir().unwrap();
    let listed =
        Hub::init_database(&backend.database(list_dir.path()), Some(&list_dir.path().join("hub.key")), Alg::Ed25519)
            .unwrap();
    listed.add_office(PROVINCE, "云南省纪委监委", OfficeLevel::Province, None).unwrap();
    listed.add_office(KUNMING, "昆明市纪委监委", OfficeLevel::Prefecture, Some(PROVINCE)).unwrap();
    let rest = [
        NewOffice { code: WUHUA, name: "五华区纪委监委", level: OfficeLevel::County, parent: Some(KUNMING) },
        NewOffice { code: PANLONG, name: "盘龙区纪委监委", level: OfficeLevel::County, parent: Some(KUNMING) },
        NewOffice { code: QUJING, name: "曲靖市纪委监委", level: OfficeLevel::Prefecture, parent: Some(PROVINCE) },
        // Its parent comes earlier in the same list.
        NewOffice { code: QILIN, name: "麒麟区纪委监委", level: OfficeLevel::County, parent: Some(QUJING) },
    ];
    // A bad entry anywhere in the list adds none of it.
    let mut bad = rest.to_vec();
    bad.push(NewOffice { code: "530402", name: "红塔区纪委监委", level: OfficeLevel::County, parent: Some("530400") });
    let err = listed.add_offices(&bad).unwrap_err().to_string();
    assert!(err.contains("上级机关 530400 不在名录中"), "{err}");
    assert_eq!(listed.offices().unwrap().len(), 2);
    let mut twice = rest.to_vec();
    twice.push(rest[0]);
    assert!(listed.add_offices(&twice).unwrap_err().to_string().contains("已在名录中"));
    assert_eq!(listed.offices().unwrap().len(), 2);

    let added = listed.add_offices(&rest).unwrap();
    assert_eq!(added.iter().map(|o| o.code.as_str()).collect::<Vec<_>>(), [WUHUA, PANLONG, QUJING, QILIN]);
    let shape = |hub: &Hub, office: &str| -> Vec<(String, String, u64)> {
        read_feed(hub, office, "reader").iter().map(|e| (e.kind.clone(), e.aggregate.clone(), e.seq)).collect()
    };
    for office in [PROVINCE, KUNMING, WUHUA, PANLONG, QUJING, QILIN] {
        let feed = shape(&listed, office);
        assert_eq!(feed.len(), 6, "{office}: {feed:?}");
        assert_eq!(feed, shape(&one_by_one, office), "{office}");
    }
    assert_eq!(listed.offices().unwrap(), {
        let mut want = one_by_one.offices().unwrap();
        for (o, got) in want.iter_mut().zip(listed.offices().unwrap()) {
            o.created_at_ms = got.created_at_ms;
        }
        want
    });
}
}

on_each_backend! {
fn feed_pages_are_bounded_and_resume_from_the_cursor(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let events: Vec<_> = (0..25).map(|i| d.work(&format!("complaint:{i}"))).collect();
    assert_eq!(d.send(&hub, events.clone()), "accepted");
    let reader = qingfeng_hub::storage::Device {
        device_id: "kunming-1".into(),
        office_code: KUNMING.into(),
        alg: "ed25519".into(),
        public_key: vec![],
        key_id: String::new(),
        cert_serial: 0,
        enrolled_at_ms: 0,
        revoked_at_ms: None,
        revoke_reason: None,
    };
    let mut got = Vec::new();
    let mut after = 0;
    let mut pages = 0;
    loop {
        let page = hub.feed(&reader, after, 10).unwrap().peek().unwrap();
        assert!(page.events.len() <= 10);
        got.extend(page.events);
        after = page.cursor;
        pages += 1;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 4, "6 directory entries and 25 events in pages of 10");
    let work: Vec<_> = got.into_iter().filter(|e| e.origin_device == "wuhua-1").collect();
    assert_eq!(ids(&work), ids(&events));
    assert_eq!(hub.feed(&reader, after, 10).unwrap().peek().unwrap().events.len(), 0);
}
}

on_each_backend! {
fn an_offer_moves_ownership_with_a_cut_and_opens_the_history_to_the_new_owner(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut kunming = Device::enrolled(&hub, KUNMING, "kunming-1");
    let mut kunming2 = Device::enrolled(&hub, KUNMING, "kunming-2");
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut panlong = Device::enrolled(&hub, PANLONG, "panlong-1");
    let agg = "complaint:k1";

    let history = vec![kunming.work(agg), kunming.work(agg)];
    assert_eq!(kunming.send(&hub, history.clone()), "accepted");
    assert_eq!(
        {
            let e = kunming2.work(agg);
            kunming2.send(&hub, vec![e])
        },
        "accepted"
    );
    assert!(!ids(&read_feed(&hub, WUHUA, "wuhua-1")).contains(&history[0].id), "not yet wuhua's");

    // An offer to a county of another prefecture is declined with the route rule's reason: the set
    // is accepted, the case stays with its owner, and the hub tells the owner why (never silent);
    // to a child it is ordered.
    let misrouted = kunming.offer(agg, QILIN);
    assert_eq!(kunming.send(&hub, vec![misrouted.clone()]), "accepted");
    let declined: Vec<OwnershipDeclined> = read_feed(&hub, KUNMING, "reader")
        .iter()
        .filter(|e| e.kind == kind::OWNERSHIP_DECLINED)
        .map(|e| e.payload().unwrap())
        .collect();
    assert_eq!(declined.len(), 1, "the owner hears of the refusal");
    assert_eq!((declined[0].offer_event.as_str(), declined[0].to_office.as_str()), (misrouted.id.as_str(), QILIN));
    assert!(declined[0].refusal.contains("不是本机关辖区内的下级机关"), "{}", declined[0].refusal);
    let still = hub.aggregate(agg).unwrap().unwrap();
    assert_eq!((still.owner.as_str(), still.epoch), (KUNMING, 1), "a declined offer moves nothing");
    assert!(!ids(&read_feed(&hub, QILIN, "qilin-1")).contains(&misrouted.id), "nothing reaches the office named");
    let offer = kunming.offer(agg, WUHUA);
    let after_cut = kunming.work(agg);
    assert_eq!(kunming.send(&hub, vec![offer.clone(), after_cut.clone()]), "accepted");

    let owner = hub.aggregate(agg).unwrap().unwrap();
    assert_eq!((owner.owner.as_str(), owner.epoch), (WUHUA, 2));
    assert!(owner.access.contains(&WUHUA.to_owned()));

    let feed = read_feed(&hub, WUHUA, "wuhua-1");
    let changed: Vec<OwnershipChanged> =
        feed.iter().filter(|e| e.kind == kind::OWNERSHIP_CHANGED).map(|e| e.payload().unwrap()).collect();
    assert_eq!(changed.len(), 1);
    let change = &changed[0];
    assert_eq!((change.from_office.as_str(), change.to_office.as_str(), change.epoch), (KUNMING, WUHUA, 2));
    assert_eq!(change.offer_event, offer.id);
    // The cut names both offices' devices: the offering device at the offer, the others at
    // what the hub held of them (wuhua-1 had sent nothing yet).
    assert_eq!(change.cut, vec![("kunming-1".to_owned(), offer.seq), ("kunming-2".to_owned(), 1)]);
    let feed_ids = ids(&feed);
    for e in history.iter().chain([&offer, &after_cut]) {
        assert!(feed_ids.contains(&e.id), "the new owner gets the aggregate's earlier events");
    }
    let pos = |id: &str| feed_ids.iter().position(|x| x == id).unwrap();
    assert!(pos(&history[0].id) < pos(&history[1].id) && pos(&history[1].id) < pos(&offer.id));

    // The new owner writes; the former owner's late event is kept (a conflict on replicas);
    // an office that never owned it is refused.
    assert_eq!(
        {
            let e = wuhua.work(agg);
            wuhua.send(&hub, vec![e])
        },
        "accepted"
    );
    assert_eq!(
        {
            let e = kunming2.work(agg);
            kunming2.send(&hub, vec![e])
        },
        "accepted"
    );
    assert_eq!(
        {
            let e = panlong.work(agg);
            panlong.send(&hub, vec![e])
        },
        "unauthorized"
    );
    // The former owner can no longer offer it.
    assert_eq!(
        {
            let e = kunming.offer(agg, PANLONG);
            kunming.send(&hub, vec![e])
        },
        "unauthorized"
    );
    assert!(hub.verify_events().unwrap().ok);
}
}

on_each_backend! {
fn a_province_may_assign_anywhere_in_its_jurisdiction_and_overseers_may_add_audit_records(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut province = Device::enrolled(&hub, PROVINCE, "prov-1");
    Device::enrolled(&hub, QILIN, "qilin-1");
    let mut panlong = Device::enrolled(&hub, PANLONG, "panlong-1");
    let agg = "complaint:p1";
    let events = vec![province.work(agg), province.offer(agg, QILIN)];
    assert_eq!(province.send(&hub, events), "accepted");
    let owner = hub.aggregate(agg).unwrap().unwrap();
    assert_eq!(owner.owner, QILIN);
    assert!(owner.access.contains(&QUJING.to_owned()), "the new owner's prefecture now oversees it");
    assert_eq!(read_feed(&hub, QUJING, "reader").iter().filter(|e| e.aggregate == agg).count(), 3);

    // A grow-only audit record by an overseeing office is accepted; by a stranger it is not.
    let viewed = province.event(kind::COMPLAINT_IDENTITY_VIEWED, agg, &serde_json::json!({}));
    assert_eq!(province.send(&hub, vec![viewed]), "accepted");
    let stranger = panlong.event(kind::COMPLAINT_IDENTITY_VIEWED, agg, &serde_json::json!({}));
    assert_eq!(panlong.send(&hub, vec![stranger]), "unauthorized");
}
}

on_each_backend! {
fn a_reused_event_id_refuses_the_set(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut a = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut b = Device::enrolled(&hub, PANLONG, "panlong-1");
    let original = a.work("complaint:a");
    assert_eq!(a.send(&hub, vec![original.clone()]), "accepted");
    let mut copy = b.work("complaint:b");
    copy.id = original.id.clone();
    copy.hash = copy.body().hash_with(&mut Vec::new());
    b.head = copy.hash;
    assert_eq!(b.send(&hub, vec![copy]), "unauthorized");
    assert_eq!(
        {
            let e = b.work("complaint:b");
            b.send(&hub, vec![e])
        },
        "accepted"
    );
}
}

on_each_backend! {
fn concurrent_copies_of_one_set_get_one_receipt_and_concurrent_writers_all_commit(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut d = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let events = (0..100).map(|_| d.work("complaint:1")).collect();
    let body = d.sign(events).encode();
    let mut others: Vec<Device> = (0..8).map(|i| Device::enrolled(&hub, PANLONG, &format!("panlong-{i}"))).collect();
    let other_sets: Vec<Vec<u8>> = others
        .iter_mut()
        .map(|o| {
            let events = (0..50).map(|k| o.work(&format!("complaint:{}-{k}", o.id))).collect();
            o.sign(events).encode()
        })
        .collect();
    let answers: Vec<Vec<u8>> = std::thread::scope(|s| {
        let copies: Vec<_> = (0..6).map(|_| s.spawn(|| hub.accept_changeset(&body).unwrap().signed)).collect();
        let writers: Vec<_> = other_sets.iter().map(|b| s.spawn(|| hub.accept_changeset(b).unwrap())).collect();
        for w in writers {
            assert_eq!(outcome(&w.join().unwrap()), "accepted");
        }
        copies.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "every copy got the same signed receipt");
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 100);
    let report = hub.verify_events().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.events, 6 + 100 + 8 * 50);
}
}

on_each_backend! {
fn the_cut_names_the_new_owners_devices_too(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut kunming = Device::enrolled(&hub, KUNMING, "kunming-1");
    let own = kunming.work("complaint:k");
    assert_eq!(kunming.send(&hub, vec![own]), "accepted");
    let events = vec![wuhua.work("complaint:w"), wuhua.work("complaint:w"), wuhua.offer("complaint:w", KUNMING)];
    assert_eq!(wuhua.send(&hub, events), "accepted");
    let change: OwnershipChanged = read_feed(&hub, KUNMING, "reader")
        .iter()
        .find(|e| e.kind == kind::OWNERSHIP_CHANGED)
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(change.cut, vec![("kunming-1".to_owned(), 1), ("wuhua-1".to_owned(), 3)]);
}
}

on_each_backend! {
fn aggregates_without_an_owner_go_up_the_tree_and_never_conflict(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut panlong = Device::enrolled(&hub, PANLONG, "panlong-1");
    let a = wuhua.event(kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED, "quarterly:shared", &serde_json::json!({}));
    let b = panlong.event(kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED, "quarterly:shared", &serde_json::json!({}));
    assert_eq!(wuhua.send(&hub, vec![a.clone()]), "accepted");
    assert_eq!(panlong.send(&hub, vec![b.clone()]), "accepted", "no first writer owns it");
    assert!(hub.aggregate("quarterly:shared").unwrap().is_none());
    let kunming = ids(&read_feed(&hub, KUNMING, "reader"));
    assert!(kunming.contains(&a.id) && kunming.contains(&b.id));
    assert!(!ids(&read_feed(&hub, PANLONG, "reader")).contains(&a.id), "siblings do not see each other");
    let calendar = wuhua.event(kind::CALENDAR_UPDATED, "calendar:2026", &serde_json::json!({}));
    assert_eq!(wuhua.send(&hub, vec![calendar.clone()]), "accepted");
    assert!(!ids(&read_feed(&hub, KUNMING, "reader")).contains(&calendar.id), "a local calendar import stays local");
    let offer = wuhua.offer("quarterly:shared", KUNMING);
    assert_eq!(wuhua.send(&hub, vec![offer]), "unauthorized");
}
}

on_each_backend! {
fn an_office_log_holds_that_office_s_events_alone_page_by_page(backend) {
    use qingfeng_sync::restore::{OFFICE_LOG_CONTEXT, OfficeLogPage, OfficeLogRequest};
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut panlong = Device::enrolled(&hub, PANLONG, "panlong-1");
    let own: Vec<_> = (0..5).map(|_| wuhua.work("complaint:1")).collect();
    assert_eq!(wuhua.send(&hub, own.clone()), "accepted");
    let other = vec![panlong.work("complaint:2")];
    assert_eq!(panlong.send(&hub, other), "accepted");
    let device = |id: &str| hub.devices().unwrap().into_iter().find(|d| d.device_id == id).unwrap();
    // A restore reads the office's log two events at a time until nothing more is left.
    let (mut after, mut got) = (0, Vec::new());
    loop {
        let request = OfficeLogRequest { office_code: WUHUA.into(), after, limit: 2 };
        let page: OfficeLogPage =
            hub.office_log(&device("wuhua-1"), &request).unwrap().open(OFFICE_LOG_CONTEXT, hub.public_key()).unwrap();
        assert!(page.page.events.len() <= 2);
        got.extend(page.page.events);
        after = page.page.cursor;
        if !page.page.more {
            break;
        }
    }
    assert_eq!(ids(&got), ids(&own), "every event of the office's device, in order, and nothing of another office");
    // Another office's device may not read it.
    let request = OfficeLogRequest { office_code: WUHUA.into(), after: 0, limit: 10 };
    assert!(hub.office_log(&device("panlong-1"), &request).is_err());
}
}

/// The offices above `office` in the test province, nearest first.
fn above(office: &str) -> Vec<&'static str> {
    match office {
        WUHUA | PANLONG => vec![KUNMING, PROVINCE],
        QILIN => vec![QUJING, PROVINCE],
        KUNMING | QUJING => vec![PROVINCE],
        _ => vec![],
    }
}

/// One device's sets in chain order: the encoded set, its event ids, and whether it is good.
type Sets = Vec<(Vec<u8>, Vec<String>, bool)>;

/// One seeded case of `concurrent_uploads_with_one_bad_set_each_get_their_own_answer`.
fn grouped_uploads_case(backend: &Backend, seed: u64) {
    use rand::{Rng, SeedableRng};
    use std::collections::{BTreeMap, HashSet};

    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    // A complaint 麒麟区 owns: the bad set writes to it from another office.
    let mut owner = Device::enrolled(&hub, QILIN, "owner");
    let first = owner.work("complaint:qilin-owned");
    assert_eq!(owner.send(&hub, vec![first]), "accepted", "seed {seed}");

    let offices = [WUHUA, PANLONG, QILIN, KUNMING, QUJING, PROVINCE];
    let n = rng.gen_range(12..=32);
    // Device 0 sends the bad set, from an office that never owned the complaint.
    let mut devices: Vec<Device> = (0..n)
        .map(|i| {
            let office = if i == 0 { WUHUA } else { offices[rng.gen_range(0..offices.len())] };
            Device::enrolled(&hub, office, &format!("d{i}"))
        })
        .collect();
    let mut sets: Vec<Sets> = Vec::new();
    for (i, d) in devices.iter_mut().enumerate() {
        let count = rng.gen_range(1..=3usize);
        let bad_set = rng.gen_range(0..count);
        let mut list = Vec::new();
        for s in 0..count {
            let bad = i == 0 && s == bad_set;
            let size = rng.gen_range(1..=25usize);
            let bad_at = rng.gen_range(0..size);
            let events: Vec<_> = (0..size)
                .map(|k| {
                    if bad && k == bad_at {
                        d.work("complaint:qilin-owned")
                    } else {
                        d.work(&format!("complaint:{i}-{s}-{}", k % 4))
                    }
                })
                .collect();
            let ids = events.iter().map(|e| e.id.clone()).collect();
            list.push((d.sign(events).encode(), ids, !bad));
        }
        sets.push(list);
    }
    let heads_before: BTreeMap<String, u64> =
        hub.offices().unwrap().into_iter().map(|o| (o.code, o.feed_head)).collect();
    let events_before = hub.counts().unwrap().events;

    // Every device sends its sets in turn, all devices at once.
    let start = std::sync::Barrier::new(devices.len());
    let answers: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = sets
            .iter()
            .map(|list| {
                let (hub, start) = (&hub, &start);
                s.spawn(move || {
                    start.wait();
                    list.iter().map(|(body, _, _)| outcome(&hub.accept_changeset(body).unwrap())).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let mut routed: BTreeMap<String, u64> = BTreeMap::new();
    let mut bad_ids = HashSet::new();
    let mut total = 0;
    for ((d, list), got) in devices.iter().zip(&sets).zip(&answers) {
        for ((_, ids, good), answer) in list.iter().zip(got) {
            total += ids.len() as u64;
            if *good {
                assert_eq!(answer, "accepted", "seed {seed}: a good set of {} got {answer}", d.id);
                for office in std::iter::once(d.office.as_str()).chain(above(&d.office)) {
                    *routed.entry(office.to_owned()).or_default() += ids.len() as u64;
                }
            } else {
                assert_eq!(answer, "unauthorized", "seed {seed}: the bad set of {} got {answer}", d.id);
                bad_ids.extend(ids.iter().cloned());
            }
        }
    }
    // Every event is held once, the bad set's as refused in its chain; every chain verifies.
    assert_eq!(hub.counts().unwrap().events, events_before + total, "seed {seed}");
    let report = hub.verify_events().unwrap();
    assert!(report.ok, "seed {seed}: {report:?}");
    let refused = hub.chain_of("d0").unwrap().iter().filter(|(_, status)| *status == EventStatus::Refused).count();
    assert_eq!(refused, bad_ids.len(), "seed {seed}: the bad set is kept, refused");
    // Each feed grew by exactly what was routed to it, with no gap: its head is its row count and
    // a reader gets every row once, none of the bad set's.
    for office in hub.offices().unwrap() {
        let grown = office.feed_head - heads_before[&office.code];
        assert_eq!(grown, routed.get(&office.code).copied().unwrap_or(0), "seed {seed}: feed head of {}", office.code);
        let feed = read_feed(&hub, &office.code, "reader");
        assert_eq!(feed.len() as u64, office.feed_head, "seed {seed}: feed of {} has gaps", office.code);
        let distinct: HashSet<String> = ids(&feed).into_iter().collect();
        assert_eq!(distinct.len(), feed.len(), "seed {seed}: an event twice in the feed of {}", office.code);
        assert!(distinct.is_disjoint(&bad_ids), "seed {seed}: a refused event reached the feed of {}", office.code);
    }
}

on_each_backend! {
/// Change sets arriving at once share group commits: a bad set among them (writing a complaint
/// another office owns) gets its refusal without failing the others, every good set its
/// receipt, and every office's feed is gap-free with exactly what was routed to it. Seeded: set
/// `QINGFENG_TEST_SEED` to run one case again.
fn concurrent_uploads_with_one_bad_set_each_get_their_own_answer(backend) {
    let seeds: Vec<u64> = match std::env::var("QINGFENG_TEST_SEED") {
        Ok(seed) => vec![seed.parse().unwrap()],
        Err(_) => (0..3).map(|_| rand::random()).collect(),
    };
    for seed in seeds {
        eprintln!("grouped uploads, seed {seed}");
        grouped_uploads_case(&backend, seed);
    }
}
}

on_each_backend! {
/// An event whose id an accepted event of another office already has is refused with a reason
/// naming it, and nothing of its set is stored or routed; the event that had the id first is
/// untouched, and the second device's chain goes on after it, refused (issue #17: on PostgreSQL
/// the id is checked by the unique index itself, not by a look-up first).
fn an_event_id_already_taken_is_refused_and_nothing_of_its_set_is_routed(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut qilin = Device::enrolled(&hub, QILIN, "qilin-1");
    let taken = wuhua.work("complaint:w1");
    assert_eq!(wuhua.send(&hub, vec![taken.clone()]), "accepted");

    // 麒麟区's next event carries the taken id, hashed and chained as its store would.
    let fine = qilin.work("complaint:q1");
    let mut copy = qilin.work("complaint:q1");
    copy.id = taken.id.clone();
    let mut buf = Vec::new();
    copy.hash = copy.body().hash_with(&mut buf);
    qilin.head = copy.hash;
    let answer = hub.accept_changeset(&qilin.sign(vec![fine.clone(), copy]).encode()).unwrap();
    assert_eq!(outcome(&answer), "unauthorized");
    let qingfeng_sync::Outcome::Rejected { reason, .. } = &answer.receipt.outcome else { unreachable!() };
    assert!(reason.contains(&taken.id) && reason.contains("已被另一事件使用"), "{reason}");

    // Nothing of the set reached a feed: 曲靖 sees neither event; 昆明 sees 五华区's once.
    let reader = Device::enrolled(&hub, QUJING, "qujing-reader");
    assert!(!ids(&read_feed(&hub, QUJING, &reader.id)).contains(&fine.id));
    let reader = Device::enrolled(&hub, KUNMING, "kunming-reader");
    let seen = ids(&read_feed(&hub, KUNMING, &reader.id));
    assert_eq!(seen.iter().filter(|id| **id == taken.id).count(), 1);
    let report = hub.verify_events().unwrap();
    assert!(report.ok, "{report:?}");
}
}
