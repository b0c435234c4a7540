CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`domain` text,
	`display_name` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`note_source` text,
	`uri` text NOT NULL,
	`url` text,
	`actor_type` text DEFAULT 'Person' NOT NULL,
	`inbox_url` text,
	`shared_inbox_url` text,
	`outbox_url` text,
	`followers_url` text,
	`following_url` text,
	`featured_url` text,
	`avatar_url` text,
	`avatar_static_url` text,
	`header_url` text,
	`header_static_url` text,
	`fields` text DEFAULT '[]' NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`bot` integer DEFAULT false NOT NULL,
	`discoverable` integer DEFAULT true NOT NULL,
	`indexable` integer DEFAULT false NOT NULL,
	`hide_collections` integer DEFAULT false NOT NULL,
	`moved_to_account_id` text,
	`statuses_count` integer DEFAULT 0 NOT NULL,
	`followers_count` integer DEFAULT 0 NOT NULL,
	`following_count` integer DEFAULT 0 NOT NULL,
	`last_status_at` integer,
	`suspended_at` integer,
	`silenced_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`fetched_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_uri_unique` ON `accounts` (`uri`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_remote_handle_unique` ON `accounts` (lower("username"),lower("domain")) WHERE domain IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_local_handle_unique` ON `accounts` (lower("username")) WHERE domain IS NULL;--> statement-breakpoint
CREATE TABLE `follow_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`uri` text,
	`show_reblogs` integer DEFAULT true NOT NULL,
	`notify` integer DEFAULT false NOT NULL,
	`languages` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_requests_pair_unique` ON `follow_requests` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `follow_requests_target` ON `follow_requests` (`target_account_id`);--> statement-breakpoint
CREATE TABLE `follows` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`uri` text,
	`show_reblogs` integer DEFAULT true NOT NULL,
	`notify` integer DEFAULT false NOT NULL,
	`languages` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follows_pair_unique` ON `follows` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `follows_target` ON `follows` (`target_account_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`dedupe_key` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_due` ON `jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_pending` ON `jobs` (`dedupe_key`) WHERE status IN ('queued', 'running') AND dedupe_key IS NOT NULL;--> statement-breakpoint
CREATE TABLE `kv` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE TABLE `oauth_access_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`refresh_token_hash` text,
	`application_id` text NOT NULL,
	`account_id` text,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`application_id`) REFERENCES `oauth_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_access_tokens_token_hash_unique` ON `oauth_access_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_access_tokens_refresh_token_hash_unique` ON `oauth_access_tokens` (`refresh_token_hash`);--> statement-breakpoint
CREATE INDEX `oauth_access_tokens_application` ON `oauth_access_tokens` (`application_id`);--> statement-breakpoint
CREATE TABLE `oauth_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`website` text,
	`redirect_uris` text NOT NULL,
	`scopes` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_applications_client_id_unique` ON `oauth_applications` (`client_id`);--> statement-breakpoint
CREATE TABLE `oauth_authorization_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`application_id` text NOT NULL,
	`account_id` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scopes` text NOT NULL,
	`code_challenge` text,
	`code_challenge_method` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `oauth_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_authorization_codes_code_hash_unique` ON `oauth_authorization_codes` (`code_hash`);--> statement-breakpoint
CREATE TABLE `statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`uri` text NOT NULL,
	`url` text,
	`account_id` text NOT NULL,
	`in_reply_to_id` text,
	`in_reply_to_account_id` text,
	`reblog_of_id` text,
	`text` text DEFAULT '' NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`visibility` text NOT NULL,
	`language` text,
	`local` integer NOT NULL,
	`application_id` text,
	`replies_count` integer DEFAULT 0 NOT NULL,
	`reblogs_count` integer DEFAULT 0 NOT NULL,
	`favourites_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reblog_of_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statuses_uri_unique` ON `statuses` (`uri`);--> statement-breakpoint
CREATE INDEX `statuses_account_id_id` ON `statuses` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_in_reply_to_id` ON `statuses` (`in_reply_to_id`);--> statement-breakpoint
CREATE INDEX `statuses_reblog_of_id` ON `statuses` (`reblog_of_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`password_hash` text NOT NULL,
	`email` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`default_privacy` text DEFAULT 'public' NOT NULL,
	`default_sensitive` integer DEFAULT false NOT NULL,
	`default_language` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_account_id_unique` ON `users` (`account_id`);