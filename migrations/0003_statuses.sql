CREATE TABLE `bookmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookmarks_pair_unique` ON `bookmarks` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `bookmarks_status` ON `bookmarks` (`status_id`);--> statement-breakpoint
CREATE TABLE `conversation_mutes` (
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `conversation_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `favourites` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`uri` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `favourites_pair_unique` ON `favourites` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `favourites_status` ON `favourites` (`status_id`);--> statement-breakpoint
CREATE TABLE `media_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`file_path` text,
	`preview_path` text,
	`remote_url` text,
	`description` text,
	`focus` text,
	`meta` text DEFAULT '{}' NOT NULL,
	`blurhash` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `media_attachments_status` ON `media_attachments` (`status_id`);--> statement-breakpoint
CREATE TABLE `mentions` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mentions_pair_unique` ON `mentions` (`status_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `mentions_account` ON `mentions` (`account_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `poll_votes` (
	`id` text PRIMARY KEY NOT NULL,
	`poll_id` text NOT NULL,
	`account_id` text NOT NULL,
	`choice` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `poll_votes_unique` ON `poll_votes` (`poll_id`,`account_id`,`choice`);--> statement-breakpoint
CREATE TABLE `polls` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`options` text NOT NULL,
	`multiple` integer DEFAULT false NOT NULL,
	`hide_totals` integer DEFAULT false NOT NULL,
	`expires_at` integer,
	`votes_count` integer DEFAULT 0 NOT NULL,
	`voters_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `polls_status_id_unique` ON `polls` (`status_id`);--> statement-breakpoint
CREATE TABLE `status_edits` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	`text` text NOT NULL,
	`content` text NOT NULL,
	`spoiler_text` text NOT NULL,
	`sensitive` integer NOT NULL,
	`media` text DEFAULT '[]' NOT NULL,
	`poll_options` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_edits_status` ON `status_edits` (`status_id`,`id`);--> statement-breakpoint
CREATE TABLE `status_pins` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_pins_pair_unique` ON `status_pins` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `status_pins_status` ON `status_pins` (`status_id`);--> statement-breakpoint
CREATE TABLE `status_tags` (
	`status_id` text NOT NULL,
	`tag_id` text NOT NULL,
	PRIMARY KEY(`status_id`, `tag_id`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_tags_tag` ON `status_tags` (`tag_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);--> statement-breakpoint
ALTER TABLE `statuses` ADD `conversation_id` text;--> statement-breakpoint
ALTER TABLE `statuses` ADD `quote_of_id` text;--> statement-breakpoint
ALTER TABLE `statuses` ADD `quote_approval_policy` text DEFAULT 'public' NOT NULL;--> statement-breakpoint
CREATE INDEX `statuses_conversation` ON `statuses` (`conversation_id`);